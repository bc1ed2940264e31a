/**
 * Go 1.26's rsa.PrivateKey.Validate as go-jose calls it on a private JWK
 * (jwk.go rsaPrivateKey): crypto/rsa precompute hands the key to
 * crypto/internal/fips140/rsa — NewPrivateKeyWithPrecomputation when `dp`,
 * `dq` and `qi` are all given, NewPrivateKey otherwise — whose bigmod
 * parsing and checkPrivateKey/checkPublicKey give the error texts below.
 * Numbers are unsigned big-endian (big.Int.SetBytes); 64-bit limbs (amd64).
 */

export interface GoRsaPrivateKey {
  n: bigint;
  /** The exponent as go-jose makes it: int(big.Int.Int64()). */
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp?: bigint;
  dq?: bigint;
  qi?: bigint;
}

/** big.Int.SetBytes. */
export function bigIntFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

/** byteBuffer.toInt: int(bigInt().Int64()), the low 64 bits as a signed number. */
export function goToInt(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

const byteLength = (value: bigint) => Math.ceil(bitLength(value) / 8);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

class GoRsaError extends Error {}

/** bigmod.NewModulus: the value must be above one. */
function newModulus(value: bigint): bigint {
  if (value <= 1n) throw new GoRsaError("modulus must be > 1");
  return value;
}

/** bigmod.Nat.SetBytes(b, m): at most m's limbs of bytes, and below m. */
function setBytes(value: bigint, modulus: bigint): bigint {
  if (byteLength(value) > Math.ceil(bitLength(modulus) / 64) * 8) throw new GoRsaError("input overflows the modulus size");
  if (value >= modulus) throw new GoRsaError("input overflows the modulus");
  return value;
}

/** Runs a bigmod step, giving checkPrivateKey's own text if it fails. */
function orFail<T>(step: () => T, message: string): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof GoRsaError) throw new GoRsaError(message);
    throw error;
  }
}

/** fips140/rsa checkPublicKey. */
function checkPublicKey(n: bigint, e: bigint): void {
  if ((n & 1n) === 0n) throw new GoRsaError("crypto/rsa: public modulus is even");
  if (e < 2n) throw new GoRsaError("crypto/rsa: public exponent too small or negative");
  if ((e & 1n) === 0n) throw new GoRsaError("crypto/rsa: public exponent is even");
  if (e > 2n ** 31n - 1n) throw new GoRsaError("crypto/rsa: public exponent too large");
}

interface CrtKey {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  /** Given, or derived on first use (see newPrivateKey). */
  qi: () => bigint;
}

/**
 * Fermat's inversion takes seconds beyond 8192-bit primes (RSA-16384) and
 * a 1 MiB body could hold far larger ones: a deliberate limit, so bad input
 * cannot hold the server up.
 */
export const MAX_RSA_PRIME_BITS = 8192;

/** fips140/rsa checkPrivateKey (the FIPS pairwise test runs only in FIPS mode). */
function checkPrivateKey(key: CrtKey): void {
  const { n, e, d, p, q } = key;
  checkPublicKey(n, e);
  orFail(() => setBytes(p, n), "crypto/rsa: invalid prime");
  orFail(() => setBytes(q, n), "crypto/rsa: invalid prime");
  if ((p * q) % n !== 0n) throw new GoRsaError("crypto/rsa: p * q != n");
  for (const [prime, exponent] of [
    [p, key.dp],
    [q, key.dq],
  ] as const) {
    const primeMinusOne = orFail(() => newModulus(prime - 1n), "crypto/rsa: invalid prime");
    const crtExponent = orFail(() => setBytes(exponent, primeMinusOne), "crypto/rsa: invalid CRT exponent");
    if ((e * crtExponent) % primeMinusOne !== 1n) throw new GoRsaError("crypto/rsa: invalid CRT exponent");
  }
  if (((q % p) * key.qi()) % p !== 1n) throw new GoRsaError("crypto/rsa: invalid CRT coefficient");
  if (p === q) throw new GoRsaError("crypto/rsa: p == q");
  const diff = p > q ? p - q : q - p;
  const half = Math.trunc(bitLength(n) / 2);
  if (bitLength(diff) <= half - 100) throw new GoRsaError("crypto/rsa: |p - q| too small");
  if (bitLength(d) <= half) throw new GoRsaError("crypto/rsa: d too small");
}

/** fips140/rsa NewPrivateKey and newPrivateKey: the CRT values are derived (qInv by Fermat, q^(p-2) mod p). */
function newPrivateKey(key: GoRsaPrivateKey): void {
  const n = newModulus(key.n);
  const p = newModulus(key.p);
  const q = newModulus(key.q);
  const d = setBytes(key.d, n);
  const dp = d % newModulus(p - 1n);
  const dq = d % newModulus(q - 1n);
  if ((p & 1n) === 0n) throw new GoRsaError("crypto/rsa: p is even");
  // Computed where checkPrivateKey first needs it (nothing before can fail on it).
  const qi = () => {
    if (bitLength(p) > MAX_RSA_PRIME_BITS) throw new GoRsaError(`the RSA key's primes are larger than ${MAX_RSA_PRIME_BITS} bits`);
    return modPow(q % p, p - 2n, p);
  };
  checkPrivateKey({ n, e: key.e, d, p, q, dp, dq, qi });
}

/** fips140/rsa NewPrivateKeyWithPrecomputation: the given CRT values are checked. */
function newPrivateKeyWithPrecomputation(key: Required<GoRsaPrivateKey>): void {
  const n = newModulus(key.n);
  const p = newModulus(key.p);
  const q = newModulus(key.q);
  const d = setBytes(key.d, n);
  const qi = setBytes(key.qi, p);
  checkPrivateKey({ n, e: key.e, d, p, q, dp: key.dp, dq: key.dq, qi: () => qi });
}

/** rsa.PrivateKey.Validate's error text, or undefined for a key Go accepts. */
export function goRsaValidateError(key: GoRsaPrivateKey): string | undefined {
  try {
    const { dp, dq, qi } = key;
    if (dp !== undefined && dq !== undefined && qi !== undefined) newPrivateKeyWithPrecomputation({ ...key, dp, dq, qi });
    else newPrivateKey(key);
    return undefined;
  } catch (error) {
    if (error instanceof GoRsaError) return error.message;
    throw error;
  }
}
