import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

/**
 * Hand-built certificate DER for the parser tests: every field can be
 * replaced by raw bytes, so each of Go's checks can be reached. The
 * signature is never valid (ParseCertificate does not verify it).
 */

export function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  const header =
    n < 0x80
      ? Buffer.from([tag, n])
      : n < 0x100
        ? Buffer.from([tag, 0x81, n])
        : n < 0x10000
          ? Buffer.from([tag, 0x82, n >> 8, n & 0xff])
          : Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([header, body]);
}

export const seq = (...contents: Buffer[]) => der(0x30, ...contents);
export const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");

export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

export const utf8Name = (cn: string) => seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, Buffer.from(cn)))));
export const utcTime = (text: string) => der(0x17, Buffer.from(text, "latin1"));
export const generalizedTime = (text: string) => der(0x18, Buffer.from(text, "latin1"));
export const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

/** One extension: id, optional critical flag, value. */
export const extension = (id: string, value: Buffer, critical = false) =>
  seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));

export interface CertificateParts {
  /** The [0] version element, or an empty buffer for none (v1). */
  version?: Buffer;
  serial?: Buffer;
  signatureAlgorithm?: Buffer;
  issuer?: Buffer;
  validity?: Buffer;
  subject?: Buffer;
  spki?: Buffer;
  /** Whatever follows the SPKI inside the TBSCertificate (unique ids, [3] extensions). */
  tail?: Buffer;
  /** Replaces the whole TBSCertificate. */
  tbs?: Buffer;
  outerAlgorithm?: Buffer;
  signature?: Buffer;
}

export const ecKey: KeyObject = createPublicKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
export const spkiOf = (key: KeyObject): Buffer => key.export({ type: "spki", format: "der" });

/** The extensions field of a v3 TBSCertificate. */
export const extensions = (...list: Buffer[]) => der(0xa3, seq(...list));

export function certificate(parts: CertificateParts = {}): Buffer {
  const algorithm = parts.signatureAlgorithm ?? ECDSA_SHA256;
  const tbs =
    parts.tbs ??
    seq(
      parts.version ?? der(0xa0, der(0x02, Buffer.from([2]))),
      parts.serial ?? der(0x02, Buffer.from([0x01, 0x23])),
      algorithm,
      parts.issuer ?? utf8Name("test"),
      parts.validity ?? seq(utcTime("250101000000Z"), utcTime("350101000000Z")),
      parts.subject ?? utf8Name("test"),
      parts.spki ?? spkiOf(ecKey),
      parts.tail ?? Buffer.alloc(0),
    );
  return seq(tbs, parts.outerAlgorithm ?? algorithm, parts.signature ?? der(0x03, Buffer.from([0, 1, 2, 3])));
}
