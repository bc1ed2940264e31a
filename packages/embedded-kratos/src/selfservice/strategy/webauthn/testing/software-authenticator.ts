import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { z } from "zod";

/**
 * A software security key for tests: an EC P-256 key made with node:crypto,
 * answering WebAuthn options the way a browser + authenticator would
 * (attestation "none", ES256 assertions), with the CBOR it needs encoded by hand.
 */

type Cbor = number | string | Uint8Array | Map<CborKey, Cbor> | CborRecord;
type CborKey = number | string;
interface CborRecord {
  [key: string]: Cbor;
}

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

/** Minimal CBOR (RFC 8949): integers, byte and text strings, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

// The options JSON the trigger nodes carry (Kratos' webauthn.js hands it to
// navigator.credentials); loose objects keep every field for the tests' assertions.
const creationOptions = z.looseObject({
  publicKey: z.looseObject({
    challenge: z.string(),
    rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
    user: z.looseObject({ id: z.string() }),
  }),
});
const requestOptions = z.looseObject({
  publicKey: z.looseObject({
    challenge: z.string(),
    rpId: z.string().optional(),
    allowCredentials: z.array(z.looseObject({ id: z.string() })).optional(),
  }),
});
type CreationOptions = z.infer<typeof creationOptions>;
type RequestOptions = z.infer<typeof requestOptions>;

/** The `webauthn_register_trigger` options, as navigator.credentials.create() receives them. */
export const parseCreationOptions = (json: string): CreationOptions => creationOptions.parse(JSON.parse(json));
/** The `webauthn_login_trigger` options, as navigator.credentials.get() receives them. */
export const parseRequestOptions = (json: string): RequestOptions => requestOptions.parse(JSON.parse(json));

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Buffer;
  private signCount = 0;
  private userHandle: string | undefined;

  constructor(
    readonly origin: string,
    readonly rpId: string,
    /** The authenticator model's AAGUID in its attestation (none: all zeros). */
    readonly aaguid: Buffer = Buffer.alloc(16),
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    this.cosePublicKey = cbor(
      new Map<CborKey, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? "", "base64url")],
        [-3, Buffer.from(jwk.y ?? "", "base64url")],
      ]),
    );
  }

  get idBase64Url(): string {
    return b64url(this.credentialId);
  }

  /** navigator.credentials.create() → the JSON Kratos' webauthn.js posts as `webauthn_register`. */
  create(
    options: CreationOptions,
    overrides: {
      challenge?: string;
      origin?: string;
      /** "packed": self attestation (a signature by the new key) instead of "none". */
      attestation?: "none" | "packed";
    } = {},
  ): string {
    this.userHandle = options.publicKey.user.id;
    const clientDataJSON = JSON.stringify({
      type: "webauthn.create",
      challenge: overrides.challenge ?? options.publicKey.challenge,
      origin: overrides.origin ?? this.origin,
      crossOrigin: false,
    });
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(options.publicKey.rp.id ?? this.rpId),
      Buffer.from([0x41]), // user present + attested credential data
      this.counter(),
      this.aaguid,
      idLength,
      this.credentialId,
      this.cosePublicKey,
    ]);
    const attestationObject =
      overrides.attestation === "packed"
        ? cbor({
            fmt: "packed",
            attStmt: { alg: -7, sig: sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey) },
            authData,
          })
        : cbor({ fmt: "none", attStmt: {}, authData });
    return JSON.stringify({
      id: this.idBase64Url,
      rawId: this.idBase64Url,
      type: "public-key",
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ["usb"] },
      clientExtensionResults: {},
    });
  }

  /** navigator.credentials.get() → the JSON posted as `webauthn_login`. */
  get(
    options: RequestOptions,
    overrides: {
      challenge?: string;
      signWith?: SoftwareAuthenticator;
      /** Authenticator data flags (default 0x01, user present); 0x08 is backup eligible, 0x10 backed up. */
      flags?: number;
    } = {},
  ): string {
    this.signCount++;
    const clientDataJSON = JSON.stringify({
      type: "webauthn.get",
      challenge: overrides.challenge ?? options.publicKey.challenge,
      origin: this.origin,
      crossOrigin: false,
    });
    const authData = Buffer.concat([sha256(options.publicKey.rpId ?? this.rpId), Buffer.from([overrides.flags ?? 0x01]), this.counter()]);
    const signer = overrides.signWith?.privateKey ?? this.privateKey;
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), signer);
    return JSON.stringify({
      id: this.idBase64Url,
      rawId: this.idBase64Url,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    });
  }

  private counter(): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.signCount);
    return b;
  }
}
