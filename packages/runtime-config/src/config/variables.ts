/**
 * The per-domain variables an app instance reads. Each may be given plain
 * (`KRATOS_ADMIN_URL`) or with its domain's prefix (`CIAM_KRATOS_ADMIN_URL`).
 */
export const SERVICE_URL_VARIABLES = {
  kratosPublicUrl: "KRATOS_PUBLIC_URL",
  kratosAdminUrl: "KRATOS_ADMIN_URL",
  hydraPublicUrl: "HYDRA_PUBLIC_URL",
  hydraAdminUrl: "HYDRA_ADMIN_URL",
  publicUrl: "PUBLIC_URL",
} as const;

/**
 * Variables earlier versions read, refused now so a leftover one is noticed
 * instead of silently doing nothing: name → what replaced it.
 */
export const RETIRED_VARIABLES: Readonly<Record<string, string>> = {
  KRATOS_BROWSER_URL:
    "browsers no longer call Kratos directly: Hera serves Kratos' public API at PUBLIC_URL/.ory/kratos (Kratos' serve.public.base_url); remove it",
};

/**
 * Hera's edge (its Kratos proxy and abuse limits, apps/hera/lib/server/kratos-edge):
 * the `olympus` database with this domain's role, and the limits file.
 */
export const HERA_EDGE_VARIABLES = {
  databaseUrl: "OLYMPUS_DATABASE_URL",
  limitsFile: "LIMITS_FILE",
} as const;

export const BRANDING_VARIABLES = {
  productName: "BRAND_PRODUCT_NAME",
  primaryColor: "BRAND_PRIMARY_COLOR",
  accentColor: "BRAND_ACCENT_COLOR",
  logoPath: "BRAND_LOGO_PATH",
  supportUrl: "BRAND_SUPPORT_URL",
} as const;

/**
 * The domain's second-factor policy for OAuth2 sign-ins, applied by Hera at
 * Hydra's login (so it holds with the real Kratos and Hydra):
 * MFA_REQUIRED (`true`/`false`) and MFA_GRACE_DAYS (whole days, 0–365) an
 * identity may still sign in without a second factor after it was created.
 */
export const MFA_VARIABLES = {
  required: "MFA_REQUIRED",
  graceDays: "MFA_GRACE_DAYS",
} as const;

/** The most MFA_GRACE_DAYS may be: a policy that waits longer than a year is no policy. */
export const MAX_MFA_GRACE_DAYS = 365;

export const SECRET_VARIABLES = {
  cookieSecret: "COOKIE_SECRET",
  adminApiToken: "ADMIN_API_TOKEN",
} as const;

/**
 * Athena's own per-domain variables (validated by loadAthenaConfig). Each
 * Athena has its own OAuth2 client, session secret and settings key.
 */
export const ATHENA_VARIABLES = {
  authClientId: "AUTH_CLIENT_ID",
  authClientSecret: "AUTH_CLIENT_SECRET",
  authSecret: "AUTH_SECRET",
  encryptionKey: "ENCRYPTION_KEY",
  /** Optional: the key being rotated away from, still accepted for reading until the rotation has run. */
  encryptionKeyPrevious: "ENCRYPTION_KEY_PREVIOUS",
  databaseUrl: "OLYMPUS_DATABASE_URL",
  /**
   * Optional: how long (seconds, 1–300, default 300) a session's role is
   * trusted before Athena re-validates it with an IAM Hydra refresh.
   */
  sessionRevalidateSeconds: "AUTH_SESSION_REVALIDATE_SECONDS",
  /**
   * Optional, Athena IAM only: the one OAuth2 client (of this domain's own
   * IAM Hydra) whose client_credentials tokens may call the machine API —
   * the control plane's client. Unset, the machine API refuses every call.
   */
  machineClientId: "MACHINE_CLIENT_ID",
} as const;

/**
 * Whether Athena admits only sign-ins IAM made with a second factor (ID token
 * `acr` aal2, or a grace period Hera IAM vouched for). It is IAM's policy for
 * both Athenas, so, like the issuer, it never carries a domain prefix.
 * Optional, default `true`; `false` only where Hera IAM runs with MFA_REQUIRED=false.
 */
export const AUTH_MFA_REQUIRED_VARIABLE = "AUTH_MFA_REQUIRED";

/** The re-validation window when AUTH_SESSION_REVALIDATE_SECONDS is not set, and its ceiling. */
export const DEFAULT_SESSION_REVALIDATE_SECONDS = 300;

/**
 * The IAM Hydra issuer every Athena (CIAM too) signs employees in with. It is
 * the same IAM URL for both domains, so it never carries a domain prefix.
 */
export const AUTH_ISSUER_VARIABLE = "AUTH_ISSUER_URL";

/** Every name that may carry a domain prefix; used to spot the other domain's values. */
export const DOMAIN_SCOPED_VARIABLES: readonly string[] = [
  ...Object.values(SERVICE_URL_VARIABLES),
  ...Object.keys(RETIRED_VARIABLES),
  ...Object.values(HERA_EDGE_VARIABLES),
  ...Object.values(BRANDING_VARIABLES),
  ...Object.values(MFA_VARIABLES),
  ...Object.values(SECRET_VARIABLES),
  ...Object.values(ATHENA_VARIABLES),
];

/**
 * Secrets copied from examples and docs. Accepted in development so the
 * embedded stack starts with no setup; refused in production.
 */
export const EXAMPLE_SECRET_VALUES: readonly string[] = [
  "change-me-change-me-change-me-change-me",
  "dev-cookie-secret-ciam-0123456789abcdef",
  "dev-cookie-secret-iam-0123456789abcdef0",
  "dev-admin-token-ciam-not-for-production",
  "dev-admin-token-iam-not-for-production",
  "dev-auth-secret-athena-ciam-not-for-production",
  "dev-auth-secret-athena-iam-not-for-production",
  "dev-athena-ciam-client-secret-NOT-FOR-PRODUCTION",
  "dev-athena-iam-client-secret-NOT-FOR-PRODUCTION",
];

export const MIN_SECRET_LENGTH = 32;

/** ENCRYPTION_KEY's floor: the settings store's HKDF input (AES-256-GCM) needs this much material. */
export const MIN_ENCRYPTION_KEY_BYTES = 32;

/**
 * Example encryption keys from the docs and the embedded stack. A production
 * store refuses them; development accepts them so `npm run dev` needs no setup.
 * The settings store checks them again when it derives its key.
 */
export const EXAMPLE_ENCRYPTION_KEYS: readonly string[] = [
  "change-me-change-me-change-me-change-me",
  "dev-encryption-key-ciam-not-for-production-0123",
  "dev-encryption-key-iam-not-for-production-01234",
  "0000000000000000000000000000000000000000000000000000000000000000",
];
