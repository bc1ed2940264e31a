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
 * Optional URLs. KRATOS_BROWSER_URL is Kratos' public API as browsers reach
 * it (http://ciam.localhost:3100) when that differs from the address the
 * server uses (http://127.0.0.1:3100, because Node cannot resolve
 * *.localhost); it defaults to KRATOS_PUBLIC_URL.
 */
export const OPTIONAL_URL_VARIABLES = {
  kratosBrowserUrl: "KRATOS_BROWSER_URL",
} as const;

export const BRANDING_VARIABLES = {
  productName: "BRAND_PRODUCT_NAME",
  primaryColor: "BRAND_PRIMARY_COLOR",
  accentColor: "BRAND_ACCENT_COLOR",
  logoPath: "BRAND_LOGO_PATH",
  supportUrl: "BRAND_SUPPORT_URL",
} as const;

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
} as const;

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
  ...Object.values(OPTIONAL_URL_VARIABLES),
  ...Object.values(BRANDING_VARIABLES),
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
