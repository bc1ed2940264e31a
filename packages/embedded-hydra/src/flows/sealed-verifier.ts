import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The verifiers' kinds, and the challenges (sealed alike: flows/repository.ts, device/challenges.ts). */
export type VerifierKind = "login" | "consent" | "device" | "login_challenge" | "consent_challenge" | "device_challenge";

/**
 * Login, consent and device verifiers that carry their flow's expiry.
 *
 * Hydra's verifiers are the flow itself, encrypted with `secrets.system`
 * (flow/flow_encoding.go decodeVerifier): one whose flow is past
 * ttl.login_consent_request still decodes and is answered "expired", however
 * long ago that was. Here a verifier names a stored flow, and the periodic
 * cleanup deletes expired flows; so each verifier also carries the flow's
 * expiry (Unix seconds) under an HMAC keyed with `secrets.system`, and one
 * whose flow is gone can still be told apart from text this server never
 * issued (Hydra's "has already been used, has not been granted, or is
 * invalid"). The MAC covers the kind, as Hydra's purpose: a login verifier
 * is no consent verifier. Device verifiers and the login, consent and
 * device challenges (an expired one is 401, not 404, at the admin API, also
 * once its flow was deleted) are sealed alike. A MAC rather than a tombstone row: nothing more is
 * stored or cleaned up, and a forged or edited expiry is refused.
 *
 * Layout (base64url, no padding): 18 random bytes, the expiry as an unsigned
 * 64-bit big-endian integer, the first 16 bytes of HMAC-SHA256. The first
 * system secret signs, all of them verify (rotation). Without a system
 * secret a key drawn at start-up stands in: verifiers of deleted flows
 * issued before a restart then read as never issued.
 */
const RANDOM_BYTES = 18;
const EXPIRY_BYTES = 8;
const MAC_BYTES = 16;
const TOTAL_BYTES = RANDOM_BYTES + EXPIRY_BYTES + MAC_BYTES;
const ENCODED_LENGTH = Math.ceil((TOTAL_BYTES * 4) / 3);
const CONTEXT = "olympus-hydra-flow-verifier";

/** A separate key per purpose, so the system secret is never used as an HMAC key for anything else. */
const keyOf = (secret: string) => createHash("sha256").update(`${CONTEXT}\0${secret}`).digest();

export class VerifierSeal {
  /** The key new verifiers are signed with, then the rotated ones that still verify. */
  private readonly signing: Buffer;
  private readonly keys: Buffer[];

  constructor(secrets: readonly string[] | undefined) {
    const [first, ...rotated] = secrets ?? [];
    this.signing = first === undefined ? randomBytes(32) : keyOf(first);
    this.keys = [this.signing, ...rotated.map(keyOf)];
  }

  /** A new, unguessable verifier of a `kind` flow expiring at `expiresAt`. */
  issue(kind: VerifierKind, expiresAt: Date): string {
    const body = Buffer.alloc(RANDOM_BYTES + EXPIRY_BYTES);
    randomBytes(RANDOM_BYTES).copy(body);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.ceil(expiresAt.getTime() / 1000))), RANDOM_BYTES);
    return Buffer.concat([body, this.mac(this.signing, kind, body)]).toString("base64url");
  }

  /** The expiry a verifier of this kind issued here carries; undefined for any other text. */
  expiry(kind: VerifierKind, verifier: string): Date | undefined {
    if (verifier.length !== ENCODED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(verifier)) return undefined;
    const raw = Buffer.from(verifier, "base64url");
    if (raw.length !== TOTAL_BYTES) return undefined;
    const body = raw.subarray(0, RANDOM_BYTES + EXPIRY_BYTES);
    const mac = raw.subarray(RANDOM_BYTES + EXPIRY_BYTES);
    if (!this.keys.some((key) => timingSafeEqual(this.mac(key, kind, body), mac))) return undefined;
    return new Date(Number(body.readBigUInt64BE(RANDOM_BYTES)) * 1000);
  }

  private mac(key: Buffer, kind: VerifierKind, body: Buffer): Buffer {
    return createHmac("sha256", key).update(`${kind}\0`).update(body).digest().subarray(0, MAC_BYTES);
  }
}
