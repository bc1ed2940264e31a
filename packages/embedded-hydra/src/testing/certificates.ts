import { sign, type KeyObject } from "node:crypto";

/**
 * Minimal self-signed X.509 certificates for tests (Node's crypto parses
 * certificates but cannot make them): DER built by hand around the key's
 * SubjectPublicKeyInfo, signed by `signer` with SHA-256.
 */

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const length = body.length;
  const header =
    length < 0x80
      ? Buffer.from([tag, length])
      : length < 0x100
        ? Buffer.from([tag, 0x81, length])
        : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, body]);
}

const sequence = (...contents: Buffer[]) => der(0x30, ...contents);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const name = (cn: string) => sequence(der(0x31, sequence(oid("2.5.4.3"), der(0x0c, Buffer.from(cn)))));

/** The signature algorithm for the signer's key type. */
function signatureAlgorithm(signer: KeyObject): Buffer {
  if (signer.asymmetricKeyType === "ec") return sequence(oid("1.2.840.10045.4.3.2"));
  if (signer.asymmetricKeyType === "ed25519") return sequence(oid("1.3.101.112"));
  return sequence(oid("1.2.840.113549.1.1.11"), der(0x05));
}

/** A certificate for `subject` (a public key), signed by `signer` (a private key). */
export function selfSignedCertificate(subject: KeyObject, signer: KeyObject, cn = "test"): Buffer {
  const algorithm = signatureAlgorithm(signer);
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, 0x23])),
    algorithm,
    name(cn),
    sequence(der(0x17, Buffer.from("250101000000Z")), der(0x17, Buffer.from("350101000000Z"))),
    name(cn),
    subject.export({ type: "spki", format: "der" }),
  );
  const signature = sign(signer.asymmetricKeyType === "ed25519" ? null : "sha256", tbs, signer);
  return sequence(tbs, algorithm, der(0x03, Buffer.from([0]), signature));
}
