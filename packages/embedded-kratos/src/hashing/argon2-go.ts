/**
 * How an argon2 key Kratos derives (hash/hash_comparator.go CompareArgon2id /
 * CompareArgon2i, calling golang.org/x/crypto/argon2 IDKey / Key) is computed
 * here: with hash-wasm when it computes exactly what Go computes, otherwise
 * with the portable implementation (argon2-portable.ts), within a budget.
 */

export interface GoArgon2Params {
  /** As written in the hash: Go hashes H0 over this value and rounds only the block count. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  hashLength: number;
}

export type Argon2Engine = "hash-wasm" | "portable";

/**
 * The most block work (KiB of memory × passes) the portable implementation
 * takes on: about 10 s of one hash worker at its ~50 MB/s. Kratos' own
 * bounds (hash/hash_limits.go validateArgon2Params, after v26.2: m ≤ 1 GiB,
 * t ≤ 10) let one comparison cost about as long in Go. Real hashes are far
 * below it (Kratos' default: 128 MiB, one pass); beyond it the hash never
 * matches instead of holding a worker for minutes.
 */
export const PORTABLE_ARGON2_BUDGET_KIB = 512 * 1024;

/**
 * hash-wasm (like Node's crypto.argon2 and @noble/hashes) refuses what RFC
 * 9106 rules out: salts under 8 bytes, tags under 4 bytes, memory under
 * 8·lanes. Go computes those too (rounding the memory up to 8·lanes for the
 * blocks only); within the limits both hash the memory as given into H0 and
 * round the block count down to a multiple of 4·lanes, so they agree.
 */
export function hashWasmMatchesGo(saltLength: number, params: GoArgon2Params): boolean {
  return saltLength >= 8 && params.hashLength >= 4 && params.memoryKiB >= 8 * params.parallelism;
}

/** The engine to use, or undefined when only the portable one could and the work is over its budget. */
export function argon2Engine(saltLength: number, params: GoArgon2Params): Argon2Engine | undefined {
  if (hashWasmMatchesGo(saltLength, params)) return "hash-wasm";
  const unit = 4 * params.parallelism;
  const blocks = Math.max(Math.floor(params.memoryKiB / unit) * unit, 2 * unit);
  return blocks * params.iterations <= PORTABLE_ARGON2_BUDGET_KIB ? "portable" : undefined;
}
