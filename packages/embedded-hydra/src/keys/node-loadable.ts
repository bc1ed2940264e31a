import { createPrivateKey, createPublicKey } from "node:crypto";

/**
 * A key go-jose accepted must also load into Node's crypto, which signs and
 * verifies with it here. The one kind go-jose takes and Node refuses is an
 * Ed25519 key whose `x` or `d` is not 32 bytes (go-jose pads or cuts it to
 * 32): such a key in a signing set would fail every later signature, so it
 * is refused — a deliberate robustness choice (README "Known
 * differences"). RSA private members are not given to Node: Go's
 * rsa.Validate has checked them already, and Node wants the CRT members Go
 * can do without.
 */
export const NODE_LOAD_ERROR = "go-jose/go-jose: invalid JWK, the key material does not decode";

const PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "oth"]);

/** The members Node reads, nulls (go-jose's absent members) left out. */
function members(jwk: Record<string, unknown>, keepPrivate: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(jwk).filter(([name, value]) => value !== null && (keepPrivate || !PRIVATE_MEMBERS.has(name))));
}

export function nodeLoadError(jwk: Record<string, unknown>): string | undefined {
  if (jwk.kty === "oct") return undefined;
  const isPrivate = typeof jwk.d === "string" && jwk.kty !== "RSA";
  try {
    if (isPrivate) createPrivateKey({ key: members(jwk, true), format: "jwk" });
    else createPublicKey({ key: members(jwk, false), format: "jwk" });
    return undefined;
  } catch {
    return NODE_LOAD_ERROR;
  }
}
