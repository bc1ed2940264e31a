import { z } from "zod";
import { parseDuration } from "./duration";
import { tokenizerSchema } from "./tokenizer";
import { isUri } from "../identity/jsonschema/go-formats";

/**
 * The subset of Kratos' configuration this server understands. Keys Kratos
 * knows but this server does not act on are declared loosely (so they are not
 * reported as unknown); anything else triggers a one-line warning at start-up.
 */

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `"${value}" is not a duration (use e.g. 15m, 1h, 720h)` });
        return z.NEVER;
      }
      return ms;
    });

const url = z.string().refine((v) => URL.canParse(v), { message: "must be an absolute URL" });

const corsSchema = z.object({
  enabled: z.boolean().default(false),
  allowed_origins: z.array(z.string()).default([]),
  allowed_methods: z.array(z.string()).default(["POST", "GET", "PUT", "PATCH", "DELETE"]),
  allowed_headers: z.array(z.string()).default(["Authorization", "Content-Type", "Cookie", "X-Session-Token", "X-CSRF-Token"]),
  exposed_headers: z.array(z.string()).default(["Content-Type", "Set-Cookie"]),
  allow_credentials: z.boolean().default(true),
  max_age: z.number().int().nonnegative().optional(),
  debug: z.boolean().optional(),
});

const serveEndpoint = (defaultPort: number) =>
  z
    .object({
      base_url: url.optional(),
      port: z.number().int().min(0).max(65535).default(defaultPort),
      host: z.string().default(""),
      cors: corsSchema.optional(),
      request_log: z.looseObject({}).optional(),
      tls: z.looseObject({}).optional(),
      socket: z.looseObject({}).optional(),
    })
    .prefault({});

/**
 * A configured hook. `web_hook` entries are checked against Kratos'
 * selfServiceWebHook definition (embedx/config.schema.json) at start-up and
 * carry the checked config as `webHook`, so running the hook parses nothing.
 */
const hookSchema = z
  .object({ hook: z.string(), config: z.looseObject({}).optional() })
  .transform((entry, ctx): { hook: string; config?: Record<string, unknown>; webHook?: WebHookConfig } => {
    if (entry.hook !== "web_hook") return entry;
    const parsed = webHookConfigSchema.safeParse(entry.config);
    if (parsed.success) return { ...entry, webHook: parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: ["config", ...issue.path] });
    return z.NEVER;
  });
const hooksSchema = z.object({ hooks: z.array(hookSchema).default([]) });
/** `after:` blocks: default hooks, per-method hooks, default_browser_return_url. */
const afterSchema = z
  .looseObject({
    default_browser_return_url: url.optional(),
    hooks: z.array(hookSchema).optional(),
    password: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    oidc: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    code: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    webauthn: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    passkey: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    totp: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    lookup_secret: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
    profile: hooksSchema.extend({ default_browser_return_url: url.optional() }).optional(),
  })
  .prefault({});

const flowBase = {
  ui_url: url.optional(),
  lifespan: duration("1h"),
  after: afterSchema,
  before: z.looseObject({ hooks: z.array(hookSchema).optional() }).optional(),
};

const methodSchema = z.looseObject({
  enabled: z.boolean().default(false),
  config: z.looseObject({}).optional(),
});

/**
 * One social sign-in provider (Kratos' oidc/provider_config.go Configuration).
 * Only the `generic` OpenID Connect provider is implemented; the strategy
 * refuses the others when it reads the list.
 */
const oidcProviderSchema = z.looseObject({
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/, "provider ids may use letters, digits, - and _ (they appear in the callback URL)"),
  provider: z.string().min(1),
  label: z.string().optional(),
  client_id: z.string().min(1, "a client_id is required"),
  client_secret: z.string().optional(),
  issuer_url: z.string().optional(),
  auth_url: z.string().optional(),
  token_url: z.string().optional(),
  scope: z.array(z.string()).default([]),
  mapper_url: z.string().min(1, "a Jsonnet mapper_url (http(s)://, file:// or base64://) is required"),
  requested_claims: z.unknown().optional(),
  organization_id: z.string().optional(),
  claims_source: z.enum(["id_token", "userinfo"]).optional(),
  pkce: z.enum(["auto", "never", "force"]).optional(),
  additional_id_token_audiences: z.array(z.string()).optional(),
});

/** `selfservice.methods.oidc` (the config's `base_redirect_uri` overrides the callback's base URL, as in Kratos). */
const oidcMethodSchema = z.looseObject({
  enabled: z.boolean().default(false),
  config: z
    .looseObject({
      base_redirect_uri: url.optional(),
      providers: z.array(oidcProviderSchema).default([]),
    })
    .optional(),
});

/** clients.web_hook.header_allowlist's default. */
export const WEB_HOOK_HEADER_ALLOWLIST = [
  "Accept",
  "Accept-Encoding",
  "Accept-Language",
  "Content-Length",
  "Content-Type",
  "Origin",
  "Priority",
  "Referer",
  "Sec-Ch-Ua",
  "Sec-Ch-Ua-Mobile",
  "Sec-Ch-Ua-Platform",
  "Sec-Fetch-Dest",
  "Sec-Fetch-Mode",
  "Sec-Fetch-Site",
  "Sec-Fetch-User",
  "True-Client-Ip",
  "User-Agent",
];

/** webHookAuthApiKeyProperties / webHookAuthBasicAuthProperties of Kratos' config schema. */
const webHookAuthSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("api_key"),
    config: z.object({ name: z.string(), value: z.string(), in: z.enum(["header", "cookie"]) }),
  }),
  z.object({ type: z.literal("basic_auth"), config: z.object({ user: z.string(), password: z.string() }) }),
]);

/** The `auth` of an outgoing request (hooks, courier): request/auth.go. */
export type RequestAuthConfig = z.infer<typeof webHookAuthSchema>;

/** Kratos' default courier HTTP body (embedx/config.schema.json httpRequestConfig.body): recipient, template fields, subject and body. */
const DEFAULT_COURIER_HTTP_BODY =
  "base64://ZnVuY3Rpb24oY3R4KSB7CiAgcmVjaXBpZW50OiBjdHgucmVjaXBpZW50LAogIHRlbXBsYXRlX3R5cGU6IGN0eC50ZW1wbGF0ZV90eXBlLAogIHRvOiBpZiAidGVtcGxhdGVfZGF0YSIgaW4gY3R4ICYmICJ0byIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS50byBlbHNlIG51bGwsCiAgcmVjb3ZlcnlfY29kZTogaWYgInRlbXBsYXRlX2RhdGEiIGluIGN0eCAmJiAicmVjb3ZlcnlfY29kZSIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV9jb2RlIGVsc2UgbnVsbCwKICByZWNvdmVyeV91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInJlY292ZXJ5X3VybCIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV91cmwgZWxzZSBudWxsLAogIHZlcmlmaWNhdGlvbl91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl91cmwiIGluIGN0eC50ZW1wbGF0ZV9kYXRhIHRoZW4gY3R4LnRlbXBsYXRlX2RhdGEudmVyaWZpY2F0aW9uX3VybCBlbHNlIG51bGwsCiAgdmVyaWZpY2F0aW9uX2NvZGU6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl9jb2RlIiBpbiBjdHgudGVtcGxhdGVfZGF0YSB0aGVuIGN0eC50ZW1wbGF0ZV9kYXRhLnZlcmlmaWNhdGlvbl9jb2RlIGVsc2UgbnVsbCwKICBzdWJqZWN0OiBjdHguc3ViamVjdCwKICBib2R5OiBjdHguYm9keQp9Cg==";

/** courier.http.request_config and courier.channels[].request_config (httpRequestConfig; request/config.go Config). */
const courierRequestConfigSchema = z.object({
  url: z
    .string()
    .regex(/^https?:\/\//, { message: "must start with http:// or https://" })
    .optional(),
  method: z.string().default("POST"),
  headers: z.record(z.string(), z.string()).optional(),
  body: z
    .string()
    .regex(/^(http|https|file|base64):\/\//, { message: "must start with http://, https://, file:// or base64://" })
    .default(DEFAULT_COURIER_HTTP_BODY),
  auth: webHookAuthSchema.optional(),
});
export type CourierRequestConfig = z.infer<typeof courierRequestConfigSchema>;

/**
 * `courier.templates.<type>`: the template URLs of a message type
 * (embedx/config.schema.json courierTemplates, emailCourierTemplate,
 * smsCourierTemplate). Only the shape is checked here; the courier reads each
 * URL when a message needs it (courier/template/load_template.go).
 */
const emailCourierTemplateSchema = z.object({
  subject: z.string().optional(),
  body: z.object({ html: z.string().optional(), plaintext: z.string().optional() }).optional(),
});
const courierTemplatesSchema = z.object({
  valid: z
    .object({
      email: emailCourierTemplateSchema.optional(),
      sms: z.object({ body: z.object({ plaintext: z.string().optional() }).optional() }).optional(),
    })
    .optional(),
  invalid: z.object({ email: emailCourierTemplateSchema.optional() }).optional(),
});

/**
 * selfServiceWebHook's `config` (request.Config): url and method required, no
 * other keys, and neither `response.ignore` together with `response.parse`
 * nor with `can_interrupt` (the schema's `not` / `anyOf`).
 */
export const webHookConfigSchema = z
  .strictObject({
    id: z.string().optional(),
    url: z.string().refine(isUri, { message: "is not valid 'uri'" }),
    method: z.string(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    auth: webHookAuthSchema.optional(),
    can_interrupt: z.boolean().default(false),
    emit_analytics_event: z.boolean().default(true),
    response: z
      .strictObject({ ignore: z.boolean().default(false), parse: z.boolean().default(false) })
      .refine((r) => !(r.ignore && r.parse), { message: "response.ignore and response.parse cannot both be true" })
      .prefault({}),
  })
  .refine((c) => !(c.response.ignore && c.can_interrupt), { message: "response.ignore and can_interrupt cannot both be true" });

export type WebHookConfig = z.output<typeof webHookConfigSchema>;

/** selfservice.methods.password.config.migrate_hook (request.Config of the password migration web hook). */
const passwordMigrationHookSchema = z
  .object({
    enabled: z.boolean().default(false),
    config: z
      .object({
        url: z.string().optional(),
        method: z.literal("POST").default("POST"),
        headers: z.record(z.string(), z.string()).optional(),
        emit_analytics_event: z.boolean().optional(),
        auth: webHookAuthSchema.optional(),
        body: z.string().optional(),
      })
      .prefault({}),
  })
  .prefault({});

const passwordMethodSchema = z
  .object({
    enabled: z.boolean().default(true),
    config: z
      .object({
        min_password_length: z.number().int().min(1).max(1000).default(8),
        identifier_similarity_check_enabled: z.boolean().default(true),
        haveibeenpwned_enabled: z.boolean().default(true),
        haveibeenpwned_host: z.string().optional(),
        max_breaches: z.number().int().nonnegative().optional(),
        ignore_network_errors: z.boolean().optional(),
        migrate_hook: passwordMigrationHookSchema,
      })
      .prefault({}),
  })
  .prefault({});

const profileMethodSchema = z.object({ enabled: z.boolean().default(true) }).prefault({});

export const kratosConfigSchema = z.object({
  version: z.string().optional(),
  /** driver/config/handler.go: served at `/admin/health/config`. */
  revision: z.string().optional(),
  dsn: z.string().optional(),
  serve: z
    .object({
      public: serveEndpoint(4433),
      admin: serveEndpoint(4434),
    })
    .prefault({}),
  selfservice: z.object({
    default_browser_return_url: url,
    allowed_return_urls: z.array(z.string()).default([]),
    methods: z
      .looseObject({
        password: passwordMethodSchema,
        profile: profileMethodSchema,
        code: methodSchema.optional(),
        link: methodSchema.optional(),
        totp: methodSchema.optional(),
        lookup_secret: methodSchema.optional(),
        webauthn: methodSchema.optional(),
        passkey: methodSchema.optional(),
        oidc: oidcMethodSchema.optional(),
        saml: methodSchema.optional(),
      })
      .prefault({}),
    flows: z
      .object({
        error: z.object({ ui_url: url.optional() }).prefault({}),
        // Kratos' defaults: one-step login, two-step (profile first) registration (flow/login/identifier-first.ts, flow/registration/profile-first.ts).
        login: z.object({ ...flowBase, style: z.enum(["unified", "identifier_first"]).default("unified") }).prefault({}),
        registration: z
          .object({
            ...flowBase,
            enabled: z.boolean().default(true),
            login_hints: z.boolean().optional(),
            enable_legacy_one_step: z.boolean().optional(),
            style: z.enum(["unified", "profile_first"]).default("profile_first"),
          })
          .prefault({}),
        settings: z
          .object({
            ...flowBase,
            privileged_session_max_age: duration("1h"),
            required_aal: z.enum(["aal1", "highest_available"]).default("highest_available"),
          })
          .prefault({}),
        recovery: z
          .object({
            ...flowBase,
            enabled: z.boolean().default(false),
            use: z.enum(["code", "link"]).default("code"),
            notify_unknown_recipients: z.boolean().optional(),
          })
          .prefault({}),
        verification: z
          .object({
            ...flowBase,
            enabled: z.boolean().default(false),
            use: z.enum(["code", "link"]).default("code"),
            notify_unknown_recipients: z.boolean().optional(),
          })
          .prefault({}),
        logout: z.object({ after: z.object({ default_browser_return_url: url.optional() }).prefault({}) }).prefault({}),
      })
      .prefault({}),
  }),
  session: z
    .object({
      lifespan: duration("24h"),
      earliest_possible_extend: z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (v === undefined) return undefined;
          const ms = parseDuration(v);
          if (ms === undefined) {
            ctx.addIssue({ code: "custom", message: `"${v}" is not a duration` });
            return z.NEVER;
          }
          return ms;
        }),
      whoami: z
        .object({
          required_aal: z.enum(["aal1", "highest_available"]).default("highest_available"),
          tokenizer: tokenizerSchema,
        })
        .prefault({}),
      cookie: z
        .object({
          name: z
            .string()
            .regex(/^[A-Za-z0-9_.-]+$/, "cookie names may contain letters, digits, _ . - only")
            .default("ory_kratos_session"),
          domain: z.string().optional(),
          path: z.string().optional(),
          same_site: z.enum(["Lax", "Strict", "None"]).optional(),
          persistent: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  cookies: z
    .object({
      domain: z.string().optional(),
      path: z.string().default("/"),
      same_site: z.enum(["Lax", "Strict", "None"]).default("Lax"),
      secure: z.boolean().optional(),
    })
    .prefault({}),
  secrets: z
    .object({
      default: z.array(z.string().min(16)).optional(),
      cookie: z.array(z.string().min(16, "cookie secrets must be at least 16 characters")).optional(),
      cipher: z.array(z.string().length(32, "cipher secrets must be exactly 32 characters")).optional(),
      // Kratos' config schema: at least one, each at least 16 characters; they seal the courier list's page tokens.
      pagination: z
        .array(z.string().min(16, "pagination secrets must be at least 16 characters"))
        .min(1, "secrets.pagination needs at least one secret")
        .optional(),
    })
    .prefault({}),
  hashers: z
    .object({
      algorithm: z.enum(["bcrypt", "argon2"]).default("bcrypt"),
      bcrypt: z.object({ cost: z.number().int().min(4).max(31).default(12) }).prefault({}),
      argon2: z
        .object({
          memory: z.union([z.number(), z.string()]).optional(),
          iterations: z.number().int().min(1).default(1),
          parallelism: z.number().int().min(1).optional(),
          salt_length: z.number().int().min(8).default(16),
          key_length: z.number().int().min(16).default(32),
          expected_duration: z.string().optional(),
          expected_deviation: z.string().optional(),
          dedicated_memory: z.string().optional(),
        })
        .optional(),
    })
    .prefault({}),
  identity: z.object({
    default_schema_id: z.string().min(1),
    schemas: z.array(z.object({ id: z.string().min(1), url: z.string().min(1), selfservice_selectable: z.boolean().optional() })).min(1),
  }),
  courier: z
    .looseObject({
      delivery_strategy: z.enum(["smtp", "http"]).default("smtp"),
      smtp: z
        .object({
          connection_uri: z.string().optional(),
          from_address: z.string().optional(),
          from_name: z.string().optional(),
          headers: z.record(z.string(), z.string()).optional(),
          local_name: z.string().optional(),
        })
        .optional(),
      template_override_path: z.string().optional(),
      templates: z.record(z.string(), courierTemplatesSchema.optional()).optional(),
      message_retries: z.number().int().min(0).default(5),
      worker: z.looseObject({}).optional(),
      channels: z
        .array(z.object({ id: z.literal("sms"), type: z.literal("http").optional(), request_config: courierRequestConfigSchema }))
        .optional(),
      http: z.object({ request_config: courierRequestConfigSchema.prefault({}) }).prefault({}),
    })
    .prefault({}),
  security: z
    .looseObject({
      account_enumeration: z.looseObject({ mitigate: z.boolean().default(false) }).prefault({}),
    })
    .prefault({}),
  // Hydra's admin API for login challenges; headers and override_return_to are read by src/hydra.
  oauth2_provider: z.looseObject({ url: url.optional() }).optional(),
  // Accepted and ignored: they change nothing observable through the APIs this server implements.
  log: z.looseObject({}).optional(),
  ciphers: z.looseObject({}).optional(),
  dev: z.boolean().optional(),
  feature_flags: z
    .looseObject({
      // Kratos' default (false) ends a JSON recovery with 422 browser_location_change_required instead of continue_with.
      use_continue_with_transitions: z.boolean().default(false),
      // Recovery v2 (recovery/flow.go NewFlow): new recovery flows start at `recovery_awaiting_address`.
      choose_recovery_address: z.boolean().default(false),
    })
    .prefault({}),
  tracing: z.looseObject({}).optional(),
  organizations: z.array(z.unknown()).optional(),
  preview: z.looseObject({}).optional(),
  // Only `clients.http` acts (the resilient client's private-IP policy, driver/registry_default.go HTTPClient).
  clients: z
    .looseObject({
      http: z
        .looseObject({
          disallow_private_ip_ranges: z.boolean().default(false),
          private_ip_exception_urls: z.array(z.string()).default([]),
        })
        .prefault({}),
      // The request headers a web hook's template sees (web_hook.go RemoveDisallowedHeaders).
      web_hook: z.looseObject({ header_allowlist: z.array(z.string()).optional() }).optional(),
    })
    .prefault({}),
  database: z.looseObject({}).optional(),
});

export type OidcProviderConfig = z.output<typeof oidcProviderSchema>;
export type RawKratosConfig = z.input<typeof kratosConfigSchema>;
export type ParsedKratosConfig = z.output<typeof kratosConfigSchema>;
