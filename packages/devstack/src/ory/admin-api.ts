/**
 * One Kratos or Hydra admin API as the dev stack's own code calls it (seeds,
 * fault runs, tests). The dev stack starts every admin API with its domain's
 * bearer token — EMBEDDED_ADMIN_API_TOKEN, the value each app instance gets as
 * `<PREFIX>ADMIN_API_TOKEN` — so a caller that forgets it fails in development
 * as it would behind a protected admin port in production.
 */
export interface AdminApi {
  /** Loopback base URL. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** The header every request to `api` carries. */
export function adminAuthorization(api: AdminApi): { authorization: string } {
  return { authorization: `Bearer ${api.token}` };
}

/** `api.url` joined with an absolute path (`/admin/clients`). */
export function adminUrl(api: AdminApi, path: string): string {
  return `${api.url.replace(/\/$/, "")}${path}`;
}
