/**
 * The NIST curves go-jose accepts (jwk.go ecPublicKey/ecPrivateKey) with
 * what it checks of them: the coordinate size (shared.go curveSize, and
 * dSize for `d`, both the field size in bytes) and crypto/elliptic's
 * IsOnCurve (nistec: (0, 0) is refused, each coordinate must be below the
 * field prime, and y² = x³ − 3x + b).
 */

export type GoCurveName = "P-256" | "P-384" | "P-521";

interface Curve {
  p: bigint;
  b: bigint;
  /** curveSize and dSize: the prime's bit length in whole bytes. */
  size: number;
}

const CURVES: Record<GoCurveName, Curve> = {
  "P-256": {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  "P-384": {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
  "P-521": {
    p: 2n ** 521n - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    size: 66,
  },
};

export function isGoCurve(name: string): name is GoCurveName {
  return Object.hasOwn(CURVES, name);
}

/** curveSize / dSize (shared.go, jwk.go). */
export function curveSize(name: GoCurveName): number {
  return CURVES[name].size;
}

/** elliptic.Curve.IsOnCurve for x and y read as unsigned big-endian numbers. */
export function isOnCurve(name: GoCurveName, x: bigint, y: bigint): boolean {
  const { p, b } = CURVES[name];
  if (x === 0n && y === 0n) return false;
  if (x >= p || y >= p) return false;
  const rhs = (((x * x * x - 3n * x + b) % p) + p) % p;
  return (y * y) % p === rhs;
}
