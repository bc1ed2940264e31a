import { X509Certificate, type KeyObject } from "node:crypto";
import { goStdBase64Decode } from "./go-base64";
import { bigIntFromBytes } from "./go-rsa";

/**
 * go-jose's parseCertificateChain (shared.go): each `x5c` entry through
 * base64.StdEncoding and Go's x509.ParseCertificate. The DER framing Go
 * reads first (parser.go parseCertificate: the certificate SEQUENCE, its
 * contents, the TBSCertificate SEQUENCE, with cryptobyte's DER rules) and
 * ParseCertificate's trailing-data check give Go's texts here; the rest of
 * the certificate is parsed by Node's X509Certificate.
 */

/** The leaf's public key as Go's x509 makes it, for go-jose's reflect.DeepEqual with the JWK's. */
export type GoPublicKey =
  | { kind: "rsa"; n: bigint; e: bigint }
  | { kind: "ecdsa"; curve: string; x: bigint; y: bigint }
  | { kind: "ed25519"; x: Buffer }
  /** A type no JWK decodes to (DSA, X25519, an ECDSA key on P-224): never equal. */
  | { kind: "other" };

export interface GoCertificate {
  raw: Buffer;
  /** Undefined for an algorithm Go's x509 does not know (its PublicKey is nil). */
  publicKey: GoPublicKey | undefined;
}

export type ChainResult = { ok: true; certs: GoCertificate[] } | { ok: false; error: string };

const SEQUENCE = 0x30;

/**
 * cryptobyte String.ReadASN1Element: one DER element with this tag at
 * `offset` (low tag numbers, minimal definite lengths of at most four
 * bytes); its header and total length, or undefined.
 */
function readElement(der: Buffer, offset: number, tag: number): { header: number; length: number } | undefined {
  if (der.length - offset < 2) return undefined;
  const first = der[offset] as number;
  const lengthByte = der[offset + 1] as number;
  if ((first & 0x1f) === 0x1f || first !== tag) return undefined;
  let header = 2;
  let contents = lengthByte;
  if (lengthByte & 0x80) {
    const lengthLength = lengthByte & 0x7f;
    if (lengthLength === 0 || lengthLength > 4 || der.length - offset < 2 + lengthLength) return undefined;
    contents = der.readUIntBE(offset + 2, lengthLength);
    if (contents < 128 || der[offset + 2] === 0) return undefined;
    header += lengthLength;
  }
  if (der.length - offset < header + contents) return undefined;
  return { header, length: header + contents };
}

/** The framing errors parseCertificate and ParseCertificate report before and after the fields. */
function framingError(der: Buffer): { error: string } | { raw: Buffer } {
  const outer = readElement(der, 0, SEQUENCE);
  if (!outer) return { error: "x509: malformed certificate" };
  const raw = der.subarray(0, outer.length);
  const tbs = readElement(raw, outer.header, SEQUENCE);
  if (!tbs) return { error: "x509: malformed tbs certificate" };
  return { raw };
}

const CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };

function jwkNumber(value: unknown): bigint {
  return bigIntFromBytes(Buffer.from(typeof value === "string" ? value : "", "base64url"));
}

/** x509's parsePublicKey, as far as go-jose looks at it; a string is Go's error. */
function goPublicKey(key: KeyObject): GoPublicKey | undefined | string {
  switch (key.asymmetricKeyType) {
    case "rsa": {
      const jwk = key.export({ format: "jwk" });
      return { kind: "rsa", n: jwkNumber(jwk.n), e: jwkNumber(jwk.e) };
    }
    case "ec": {
      const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""];
      if (curve === undefined)
        return key.asymmetricKeyDetails?.namedCurve === "secp224r1" ? { kind: "other" } : "x509: unsupported elliptic curve";
      const jwk = key.export({ format: "jwk" });
      return { kind: "ecdsa", curve, x: jwkNumber(jwk.x), y: jwkNumber(jwk.y) };
    }
    case "ed25519":
      return { kind: "ed25519", x: Buffer.from(String(key.export({ format: "jwk" }).x), "base64url") };
    case "dsa":
    case "x25519":
      return { kind: "other" };
    default:
      // RSASSA-PSS, Ed448, X448, DH: UnknownPublicKeyAlgorithm, PublicKey stays nil.
      return undefined;
  }
}

function parseCertificate(der: Buffer): GoCertificate | string {
  const framed = framingError(der);
  if ("error" in framed) return framed.error;
  let publicKey: GoPublicKey | undefined | string;
  try {
    publicKey = goPublicKey(new X509Certificate(framed.raw).publicKey);
  } catch {
    // Go names the field it could not read; OpenSSL's parser does not say.
    return "x509: malformed certificate";
  }
  if (typeof publicKey === "string") return publicKey;
  if (framed.raw.length !== der.length) return "x509: trailing data";
  return { raw: framed.raw, publicKey };
}

/** parseCertificateChain: the first entry that fails stops the chain with its error. */
export function parseCertificateChain(chain: readonly string[]): ChainResult {
  const certs: GoCertificate[] = [];
  for (const entry of chain) {
    const decoded = goStdBase64Decode(entry);
    if (!decoded.ok) return { ok: false, error: decoded.error };
    const cert = parseCertificate(decoded.bytes);
    if (typeof cert === "string") return { ok: false, error: cert };
    certs.push(cert);
  }
  return { ok: true, certs };
}
