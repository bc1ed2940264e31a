import { HydraError } from "../errors";

/**
 * A trust relationship for the RFC 7523 JWT-bearer grant, as Hydra keeps it
 * (oauth2/trust/grant.go): an issuer whose assertions are signed by one
 * public key, for one subject or any, limited to some scopes, until a date.
 */
export interface TrustedIssuer {
  id: string;
  issuer: string;
  subject: string;
  allowAnySubject: boolean;
  scope: string[];
  /** The JSON Web Key set holding the key: the issuer, as Hydra's handler sets it. */
  keySet: string;
  keyId: string;
  /** The key as its set holds it; undefined once it was deleted from the set. */
  jwk: Record<string, unknown> | undefined;
  createdAt: Date;
  expiresAt: Date;
}

/** The body of POST /admin/trust/grants/jwt-bearer/issuers after Go decoding (oauth2/trust/request.go createGrantRequest). */
export interface CreateGrantRequest {
  issuer: string;
  subject: string;
  allowAnySubject: boolean;
  scope: string[] | null;
  jwk: Record<string, unknown> | null;
  expiresAt: Date | null;
}

/** Hydra's missing_required_parameter (oauth2/trust/error.go) with the validator's hint. */
function missingParameter(hint: string): HydraError {
  const description = `One of the required parameters is missing. Check your request parameters. ${hint}`;
  return new HydraError(400, "missing_required_parameter", description.replaceAll('"', "'"));
}

/** oauth2/trust/validator.go validateGrant: the same checks, order and hints. */
export function validateGrant(request: CreateGrantRequest): void {
  if (request.issuer === "") throw missingParameter("Field 'issuer' is required.");
  if (request.subject === "" && !request.allowAnySubject)
    throw missingParameter("One of 'subject' or 'allow_any_subject' field must be set.");
  if (request.subject !== "" && request.allowAnySubject)
    throw missingParameter("Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.");
  if (request.expiresAt === null) throw missingParameter("Field 'expires_at' is required.");
  const kid = request.jwk?.kid;
  if (typeof kid !== "string" || kid === "") throw missingParameter("Field 'jwk' must contain JWK with kid header.");
}

/** Go's time.Time JSON form (RFC 3339, UTC `Z`, no fractional zeros). */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

/** Go rounds to the nearest second (time.Round(time.Second)); the handler stores both dates so. */
export function roundToSecond(date: Date): Date {
  return new Date(Math.round(date.getTime() / 1000) * 1000);
}

/** The JSON Hydra answers for a grant (trust.Grant; the key is named by set and kid). */
export function grantJson(grant: TrustedIssuer): Record<string, unknown> {
  return {
    id: grant.id,
    issuer: grant.issuer,
    subject: grant.subject,
    allow_any_subject: grant.allowAnySubject,
    scope: grant.scope,
    public_key: { set: grant.keySet, kid: grant.keyId },
    created_at: goTime(grant.createdAt),
    expires_at: goTime(grant.expiresAt),
  };
}

/** fosite-shaped `{error: "error", …}` Hydra answers for a body Go cannot decode (trustOAuth2JwtGrantIssuer). */
export function undecodableBody(message: string): HydraError {
  return new HydraError(400, "error", message);
}
