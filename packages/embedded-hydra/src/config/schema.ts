import { z } from "zod";
import { parseGoDurationSeconds } from "@olympus/server-kit/duration";
import { ttlSchema } from "./ttl";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseGoDurationSeconds(value);
      if (seconds === undefined || seconds <= 0) {
        ctx.addIssue({ code: "custom", message: `expected a positive Go duration such as "1h" or "30m", got "${value}"` });
        return z.NEVER;
      }
      return seconds;
    });

const url = z.url();

/**
 * serve.{public,admin}.cors as ory/x configx CORS reads them, with Hydra's
 * defaults (driver/config/serve.go defaultCORSOptions).
 */
const cors = z
  .object({
    enabled: z.boolean().default(false),
    allowed_origins: z.array(z.string()).default([]),
    allowed_methods: z.array(z.string()).default(["POST", "GET", "PUT", "PATCH", "DELETE", "CONNECT", "HEAD", "OPTIONS", "TRACE"]),
    allowed_headers: z
      .array(z.string())
      .default(["Accept", "Content-Type", "Content-Length", "Accept-Language", "Content-Language", "Authorization"]),
    exposed_headers: z
      .array(z.string())
      .default(["Cache-Control", "Expires", "Last-Modified", "Pragma", "Content-Length", "Content-Language", "Content-Type"]),
    allow_credentials: z.boolean().default(true),
    max_age: z.number().int().default(0),
  })
  .prefault({});
const port = z.number().int().min(0).max(65535);

/**
 * The subset of Hydra's configuration file the embedded server honours. Keys
 * outside it are reported (one line each) but do not stop the server; a value
 * of the wrong type or out of range does.
 */
export const hydraConfigSchema = z.object({
  version: z.string().optional(),
  dsn: z.string().optional(),
  serve: z
    .object({
      public: z
        .object({
          port: port.default(4444),
          host: z.string().optional(),
          cors,
        })
        .prefault({}),
      admin: z.object({ port: port.default(4445), host: z.string().optional(), cors }).prefault({}),
      cookies: z
        .object({
          same_site_mode: z.enum(["Lax", "Strict", "None"]).default("Lax"),
          /** With SameSite=None, a `<name>_legacy` twin without SameSite for browsers that refuse None (consent/csrf.go). */
          same_site_legacy_workaround: z.boolean().default(false),
          /** Secure attribute of the login/consent CSRF cookies; Hydra's `--dev` default (what the dev stack runs) is false. */
          secure: z.boolean().default(false),
          names: z
            .object({
              login_csrf: z.string().min(1).default("ory_hydra_login_csrf"),
              consent_csrf: z.string().min(1).default("ory_hydra_consent_csrf"),
              session: z.string().min(1).default("ory_hydra_session"),
              /** The device flow's CSRF cookie (Hydra's CookieNameDeviceCSRF). */
              device_csrf: z.string().min(1).default("ory_hydra_device_csrf"),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  urls: z.object({
    self: z.object({ issuer: url.optional(), public: url.optional(), admin: url.optional() }).prefault({}),
    /** Unset: Hydra's fallback page (public/fallbacks.ts). */
    login: url.optional(),
    /** Where `prompt=registration` sends the login challenge (Hydra 2.2+); defaults to `login`. */
    registration: url.optional(),
    consent: url.optional(),
    logout: url.optional(),
    error: url.optional(),
    post_logout_redirect: url.optional(),
    /** The device flow's user-code page and where the browser ends (unset: Hydra's fallback pages). */
    device: z.object({ verification: url.optional(), success: url.optional() }).prefault({}),
  }),
  strategies: z
    .object({
      access_token: z.enum(["opaque", "jwt"]).default("opaque"),
      scope: z.literal("exact", { message: 'only the "exact" scope strategy is supported by embedded-hydra' }).default("exact"),
      jwt: z.object({ scope_claim: z.enum(["list", "string", "both"]).default("list") }).prefault({}),
    })
    .prefault({}),
  webfinger: z
    .object({
      oidc_discovery: z
        .object({
          supported_claims: z.array(z.string().min(1)).default([]),
          supported_scope: z.array(z.string().min(1)).default([]),
          client_registration_url: url.optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  oidc: z
    .object({
      subject_identifiers: z
        .object({
          supported_types: z.array(z.enum(["public", "pairwise"])).default(["public"]),
          pairwise: z.object({ salt: z.string().optional() }).prefault({}),
        })
        .prefault({}),
      dynamic_client_registration: z
        .object({
          enabled: z.boolean().default(false),
          default_scope: z.array(z.string().min(1)).default(["offline_access", "offline", "openid"]),
        })
        .prefault({}),
    })
    .prefault({})
    .superRefine((oidc, ctx) => {
      // Hydra refuses to start with pairwise subjects and a salt shorter than eight characters.
      if (oidc.subject_identifiers.supported_types.includes("pairwise") && (oidc.subject_identifiers.pairwise.salt ?? "").length < 8) {
        ctx.addIssue({
          code: "custom",
          path: ["subject_identifiers", "pairwise", "salt"],
          message: "pairwise subject identifiers need a salt of at least 8 characters",
        });
      }
    }),
  oauth2: z
    .object({
      pkce: z
        .object({
          enforced: z.boolean().default(false),
          enforced_for_public_clients: z.boolean().default(false),
        })
        .prefault({}),
      expose_internal_errors: z.boolean().default(false),
      /** JWT access tokens: session.access_token also under `ext` (Hydra's default). */
      mirror_top_level_claims: z.boolean().default(true),
      exclude_not_before_claim: z.boolean().default(false),
      allowed_top_level_claims: z.array(z.string().min(1)).default([]),
      /** RFC 7523 JWT-bearer assertions (driver/config/provider.go: jti_optional, iat_optional, max_ttl). */
      grant: z
        .object({
          jwt: z
            .object({ jti_optional: z.boolean().default(false), iat_optional: z.boolean().default(false), max_ttl: duration("720h") })
            .prefault({}),
        })
        .prefault({}),
      /** RFC 8628 (driver/config/provider.go: polling interval and user-code presets). */
      device_authorization: z
        .object({
          token_polling_interval: duration("5s"),
          user_code: z
            .object({
              entropy_preset: z.enum(["high", "medium", "low"]).default("high"),
              length: z.number().int().min(1).max(64).optional(),
              character_set: z.string().min(2).optional(),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  // Hydra's outbound HTTP policy (back-channel logout); Hydra allows private and loopback targets unless told not to.
  clients: z
    .object({
      http: z
        .object({
          disallow_private_ip_ranges: z.boolean().default(false),
          // URL globs (`.` and `/` separate) still allowed to reach internal addresses; see clients/private-ip-policy.ts.
          private_ip_exception_urls: z.array(z.string()).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  ttl: ttlSchema,
  secrets: z
    .object({
      system: z.array(z.string().min(16, "secrets.system entries must be at least 16 characters")).min(1).optional(),
      cookie: z.array(z.string().min(16, "secrets.cookie entries must be at least 16 characters")).min(1).optional(),
    })
    .prefault({}),
  log: z
    .object({
      level: z.enum(["trace", "debug", "info", "warn", "warning", "error", "fatal", "panic"]).default("info"),
      format: z.enum(["text", "json", "json_pretty"]).default("text"),
      leak_sensitive_values: z.boolean().default(false),
    })
    .prefault({}),
});

export type HydraConfig = z.output<typeof hydraConfigSchema>;
