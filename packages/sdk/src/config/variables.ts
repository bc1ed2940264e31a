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

export const BRANDING_VARIABLES = {
  productName: "BRAND_PRODUCT_NAME",
  primaryColor: "BRAND_PRIMARY_COLOR",
  accentColor: "BRAND_ACCENT_COLOR",
  logoPath: "BRAND_LOGO_PATH",
} as const;

export const SECRET_VARIABLES = {
  cookieSecret: "COOKIE_SECRET",
  adminApiToken: "ADMIN_API_TOKEN",
} as const;

/** Every name that may carry a domain prefix; used to spot the other domain's values. */
export const DOMAIN_SCOPED_VARIABLES: readonly string[] = [
  ...Object.values(SERVICE_URL_VARIABLES),
  ...Object.values(BRANDING_VARIABLES),
  ...Object.values(SECRET_VARIABLES),
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
];

export const MIN_SECRET_LENGTH = 32;
