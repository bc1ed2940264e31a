/** Session lifetimes: short idle timeout, hard cap regardless of activity. */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60;
/** How often, at most, browser activity extends the session. */
export const SESSION_KEEPALIVE_SECONDS = 60;

export const OIDC_PROVIDER_ID = "olympus-iam";
/** `offline_access` gets Athena the refresh token its sessions re-validate with (kept server-side). */
export const OIDC_SCOPES = "openid offline_access email profile";
/** How long Athena waits for IAM Hydra on a refresh or revocation. */
export const IAM_REQUEST_TIMEOUT_MS = 5_000;
