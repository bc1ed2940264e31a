/**
 * Key under which a JWT-bearer token keeps the assertion's subject: the
 * token is oidc-provider's ClientCredentials model (no account), but its
 * `sub` is the subject the trusted issuer vouched for (rfc7523 SetSubject).
 */
export const ASSERTION_SUBJECT_EXTRA = "olympus_assertion_subject";

/** The subject a stored token's `extra` names, if it came from the JWT-bearer grant. */
export function assertionSubject(extra: unknown): string | undefined {
  if (typeof extra !== "object" || extra === null) return undefined;
  const subject: unknown = Reflect.get(extra, ASSERTION_SUBJECT_EXTRA);
  return typeof subject === "string" ? subject : undefined;
}
