/** Session lifetimes: short idle timeout, hard cap regardless of activity. */
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60;
/** How often, at most, browser activity extends the session. */
export const SESSION_KEEPALIVE_SECONDS = 60;

export const OIDC_PROVIDER_ID = "olympus-iam";
export const OIDC_SCOPES = "openid email profile";
