import { DerReader, TAG, type BitString } from "./der";

/**
 * parser.go parsePublicKey for the algorithms getPublicKeyAlgorithmFromOID
 * knows in Go 1.26 (RSA, DSA, ECDSA, Ed25519); any other algorithm
 * (X25519, RSASSA-PSS, ...) leaves Certificate.PublicKey nil, unchecked.
 */

/** The leaf's public key as Go's x509 makes it, for go-jose's reflect.DeepEqual with the JWK's. */
export type GoPublicKey =
  | { kind: "rsa"; n: bigint; e: bigint }
  | { kind: "ecdsa"; curve: string; x: bigint; y: bigint }
  | { kind: "ed25519"; x: Buffer }
  /** A type no JWK decodes to (DSA, an ECDSA key on P-224): never equal. */
  | { kind: "other" };

export interface AlgorithmIdentifier {
  oid: string;
  /** Parameters.FullBytes: the parameters element with its header, empty when absent. */
  parameters: Buffer;
}

const RSA = "1.2.840.113549.1.1.1";
const DSA = "1.2.840.10040.4.1";
const ECDSA = "1.2.840.10045.2.1";
const ED25519 = "1.3.101.112";

export const knownPublicKeyAlgorithm = (oid: string): boolean => [RSA, DSA, ECDSA, ED25519].includes(oid);

/** The curves of namedCurveFromOID; `name` is the nistec prefix of their error texts. */
const CURVES: Record<string, { name: string; jwkName?: string; p: bigint; b: bigint; size: number }> = {
  "1.3.132.0.33": {
    name: "P224",
    p: 2n ** 224n - 2n ** 96n + 1n,
    b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
    size: 28,
  },
  "1.2.840.10045.3.1.7": {
    name: "P256",
    jwkName: "P-256",
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  "1.3.132.0.34": {
    name: "P384",
    jwkName: "P-384",
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
  "1.3.132.0.35": {
    name: "P521",
    jwkName: "P-521",
    p: 2n ** 521n - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    size: 66,
  },
};

const unsigned = (bytes: Buffer): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString("hex")}`));

/** asn1.BitString.RightAlign. */
function rightAlign(bits: BitString): Buffer {
  const shift = 8 - (bits.bitLength % 8);
  if (shift === 8 || bits.bytes.length === 0) return bits.bytes;
  const out = Buffer.alloc(bits.bytes.length);
  out[0] = (bits.bytes[0] ?? 0) >> shift;
  for (let i = 1; i < bits.bytes.length; i++) {
    out[i] = (((bits.bytes[i - 1] ?? 0) << (8 - shift)) | ((bits.bytes[i] ?? 0) >> shift)) & 0xff;
  }
  return out;
}

function rsaKey(parameters: Buffer, data: Buffer): GoPublicKey | string {
  // RFC 3279 §2.3.1: the parameters must be exactly NULL.
  if (!parameters.equals(Buffer.from([TAG.NULL, 0]))) return "x509: RSA key missing NULL parameters";
  const sequence = new DerReader(data).read(TAG.SEQUENCE);
  if (!sequence) return "x509: invalid RSA public key";
  const der = new DerReader(sequence);
  const n = der.readBigInteger();
  if (n === undefined) return "x509: invalid RSA modulus";
  const e = der.readInt64();
  if (e === undefined) return "x509: invalid RSA public exponent";
  if (n <= 0n) return "x509: RSA modulus is not a positive number";
  if (e <= 0n) return "x509: RSA public exponent is not a positive number";
  return { kind: "rsa", n, e };
}

/** ecdsa.ParseUncompressedPublicKey, whose errors come from crypto/internal/fips140/nistec's SetBytes. */
function ecdsaKey(parameters: Buffer, data: Buffer): GoPublicKey | string {
  const curveOid = new DerReader(parameters).readObjectIdentifier();
  if (!curveOid) return "x509: invalid ECDSA parameters";
  const curve = CURVES[curveOid.join(".")];
  if (!curve) return "x509: unsupported elliptic curve";
  if (data.length < 1 || data[0] !== 4) return "ecdsa: invalid uncompressed public key";
  if (data.length !== 1 + 2 * curve.size) return `invalid ${curve.name} point encoding`;
  const x = unsigned(data.subarray(1, 1 + curve.size));
  const y = unsigned(data.subarray(1 + curve.size));
  // P-256's assembly names the point, the fiat-crypto fields name the element type.
  if (x >= curve.p || y >= curve.p)
    return curve.name === "P256" ? "invalid P256 element encoding" : `invalid ${curve.name}Element encoding`;
  const rhs = (((x * x * x - 3n * x + curve.b) % curve.p) + curve.p) % curve.p;
  if ((y * y) % curve.p !== rhs) return `${curve.name} point not on curve`;
  return curve.jwkName ? { kind: "ecdsa", curve: curve.jwkName, x, y } : { kind: "other" };
}

function dsaKey(parameters: Buffer, data: Buffer): GoPublicKey | string {
  const y = new DerReader(data).readBigInteger();
  if (y === undefined) return "x509: invalid DSA public key";
  const sequence = new DerReader(parameters).read(TAG.SEQUENCE);
  const der = new DerReader(sequence ?? Buffer.alloc(0));
  const [p, q, g] = sequence ? [der.readBigInteger(), der.readBigInteger(), der.readBigInteger()] : [];
  if (p === undefined || q === undefined || g === undefined) return "x509: invalid DSA parameters";
  if (y <= 0n || p <= 0n || q <= 0n || g <= 0n) return "x509: zero or negative DSA parameter";
  return { kind: "other" };
}

/** parsePublicKey: the key, or Go's error text. */
export function parsePublicKey(algorithm: AlgorithmIdentifier, bits: BitString): GoPublicKey | string {
  const data = rightAlign(bits);
  switch (algorithm.oid) {
    case RSA:
      return rsaKey(algorithm.parameters, data);
    case ECDSA:
      return ecdsaKey(algorithm.parameters, data);
    case ED25519:
      // RFC 8410 §3: the parameters must be absent.
      if (algorithm.parameters.length !== 0) return "x509: Ed25519 key encoded with illegal parameters";
      if (data.length !== 32) return "x509: wrong Ed25519 public key size";
      return { kind: "ed25519", x: Buffer.from(data) };
    default:
      return dsaKey(algorithm.parameters, data);
  }
}
