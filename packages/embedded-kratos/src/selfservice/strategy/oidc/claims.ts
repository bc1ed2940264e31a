import { KratosError } from "../../../http/errors";

/**
 * Kratos' oidc.Claims as the mapper receives it in `std.extVar('claims')`:
 * the standard claims it knows (omitted when empty, as `omitempty` does) and
 * every claim the provider sent under `raw_claims`.
 */
export type Claims = Record<string, unknown> & { sub: string; iss: string; raw_claims: Record<string, unknown> };

const STRING_CLAIMS = [
  "iss",
  "sub",
  "oid",
  "name",
  "given_name",
  "family_name",
  "last_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
] as const;
const LATER_STRING_CLAIMS = ["gender", "birthdate", "zoneinfo", "locale", "phone_number"] as const;

export function claimsFrom(raw: Record<string, unknown>): Claims {
  const out: Record<string, unknown> = {};
  for (const key of STRING_CLAIMS) if (typeof raw[key] === "string" && raw[key] !== "") out[key] = raw[key];
  // x.ConvertibleBoolean: true or "true" (some providers send strings).
  if (raw.email_verified === true || raw.email_verified === "true") out.email_verified = true;
  for (const key of LATER_STRING_CLAIMS) if (typeof raw[key] === "string" && raw[key] !== "") out[key] = raw[key];
  if (raw.phone_number_verified === true) out.phone_number_verified = true;
  if (typeof raw.updated_at === "number" && raw.updated_at !== 0) out.updated_at = Math.trunc(raw.updated_at);
  for (const key of ["hd", "team", "nonce"] as const) if (typeof raw[key] === "string" && raw[key] !== "") out[key] = raw[key];
  out.raw_claims = raw;
  const claims = out as Claims;
  // Claims.Validate.
  if (!claims.sub) throw new KratosError(502, { reason: "provider did not return a subject" });
  if (!claims.iss) throw new KratosError(502, { reason: "issuer not set in claims" });
  return claims;
}
