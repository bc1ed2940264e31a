import type { KratosConfig } from "../../../config/load";
import { type FetchCache, JSONNET_CACHE_TTL_MS } from "../../../fetcher/cache";
import { FetcherError } from "../../../fetcher/fetcher";
import { KratosError } from "../../../http/errors";
import { ORY_HTTP_CLIENT, type ResilientOptions } from "@olympus/server-kit/http";
import { goBytes, goValuesEncode } from "@olympus/server-kit/go-url";
import { evaluateJsonnet, jsonnetsecureErrorText } from "../../../jsonnet/index";
import { fromJson, manifestJsonText } from "../../../jsonnet/values";
import { readRequestTemplate } from "../../../request/template";

type MigrationHookConfig = KratosConfig["selfservice"]["methods"]["password"]["config"]["migrate_hook"]["config"];

/** The login request the hook is asked from, as the template context shows it. */
export interface HookRequestSource {
  method: string;
  /** Raw request target (path and query). */
  target: string;
  /** Header lines as received (lower-case names), Node's `headersDistinct`. */
  headers: Record<string, string[] | undefined>;
}

export interface MigrationHookInput {
  identifier: string;
  password: string;
  /** The login flow as its API answer renders it. */
  flow: Record<string, unknown>;
  /** The identity as Identity.MarshalJSON writes it (no credentials, no metadata_admin). */
  identity: Record<string, unknown>;
  request: HookRequestSource;
  /** The login request's connection: Go cancels the request's context when it closes. */
  connection?: {
    destroyed: boolean;
    once(event: "close", listener: () => void): unknown;
    off(event: "close", listener: () => void): unknown;
  };
}

const CONTENT_TYPE_JSON = "application/json";
const CONTENT_TYPE_FORM = "application/x-www-form-urlencoded";

/**
 * The request hook.PasswordMigration.Execute sends
 * (selfservice/hook/password_migration_hook.go) through request.Builder
 * (request/builder.go NewBuilder, BuildRequest, auth.go): the configured
 * headers (JSON by default), the auth strategy, and either the JSON of
 * `{identifier, password}` or, with `config.body`, the Jsonnet template's
 * output for `ctx` — the web hook template context plus identifier and
 * password.
 */
export async function buildMigrationHookRequest(
  kratos: Pick<KratosConfig, "source">,
  config: MigrationHookConfig,
  input: MigrationHookInput,
  client: ResilientOptions = ORY_HTTP_CLIENT,
): Promise<{ headers: Headers; body: string }> {
  const headers = hookRequestHeaders(config);
  if (!config.body) {
    // json.Marshal(PasswordMigrationRequest): the raw body, whatever Content-Type says.
    return { headers, body: JSON.stringify({ identifier: input.identifier, password: input.password }) };
  }
  const ctx = templateContext(input);
  const body = await renderHookBody(kratos, { uri: config.body, configKey: MIGRATION_BODY_KEY }, headers, ctx, client);
  return { headers, body };
}

const MIGRATION_BODY_KEY = "selfservice.methods.password.config.migrate_hook.config.body";

/** request/builder.go NewBuilder + BuildRequest: the configured headers (JSON by default), then the auth strategy. */
export function hookRequestHeaders(config: Pick<MigrationHookConfig, "headers" | "auth">): Headers {
  const headers = new Headers(config.headers ?? {});
  if (!headers.get("Content-Type")) headers.set("Content-Type", CONTENT_TYPE_JSON);
  applyAuth(headers, config.auth);
  return headers;
}

/** request.ErrCancel: a JSON body's template answered `error "cancel"`. */
export class HookTemplateCanceled extends Error {
  override name = "HookTemplateCanceled";
  constructor() {
    super("request cancel by JsonNet");
  }
}

/** go-jsonnet's (&RuntimeError{Msg: "cancel"}).Error(), which addJSONBody looks for in the VM's error text. */
const CANCEL_MARKER = "RUNTIME ERROR: cancel";

/**
 * request/builder.go addBody: the template (fetched as readTemplate does)
 * evaluated with `ctx` as its argument, as JSON or as a form. With
 * `cancelable`, a JSON template's `error "cancel"` (any error whose text
 * holds go-jsonnet's "RUNTIME ERROR: cancel") throws HookTemplateCanceled;
 * the form path never looks for it, as in Kratos.
 */
export async function renderHookBody(
  kratos: Pick<KratosConfig, "source">,
  template: { uri: string; configKey: string },
  headers: Headers,
  ctx: Record<string, unknown>,
  client: ResilientOptions,
  options: { cancelable?: boolean; cache?: FetchCache } = {},
): Promise<string> {
  const source = await readTemplate(kratos, template.uri, client, options.cache);
  const contentType = headers.get("Content-Type");
  if (contentType !== CONTENT_TYPE_JSON && contentType !== CONTENT_TYPE_FORM) {
    throw internalError("invalid config - incorrect Content-Type for request with body");
  }
  let output: unknown;
  try {
    output = evaluateJsonnet(source, { extVars: {}, tlas: { ctx }, filename: template.uri });
  } catch (error) {
    const text = jsonnetsecureErrorText(error);
    if (options.cancelable && contentType === CONTENT_TYPE_JSON && text.includes(CANCEL_MARKER)) throw new HookTemplateCanceled();
    // request/builder.go addJSONBody / addURLEncodedBody: errors.WithStack of the VM's error.
    throw internalError(text);
  }
  if (contentType === CONTENT_TYPE_FORM) return formBody(output);
  // go-jsonnet's output: three-space indentation and a final newline.
  return `${manifestJsonText(fromJson(output), "   ", "\n")}\n`;
}

function internalError(message: string): KratosError {
  return new KratosError(500, { message });
}

/** auth.go: basic_auth sets Authorization; api_key a header (default) or a cookie. */
function applyAuth(headers: Headers, auth: MigrationHookConfig["auth"]): void {
  if (auth?.type === "basic_auth") {
    headers.set("Authorization", `Basic ${Buffer.from(`${auth.config.user}:${auth.config.password}`).toString("base64")}`);
  } else if (auth?.type === "api_key") {
    if (auth.config.in === "cookie") {
      // http.Request.AddCookie appends to an existing Cookie header with "; ".
      const existing = headers.get("Cookie");
      headers.set("Cookie", `${existing ? `${existing}; ` : ""}${auth.config.name}=${auth.config.value}`);
    } else headers.set(auth.config.name, auth.config.value);
  }
}

/**
 * Builder.readTemplate through the fetcher, with the builder's client
 * (deps.HTTPClient in the hook's context) and its cache (request.WithCache:
 * the web hook's jsonnetCache; the password migration hook and courier
 * builders have none). Its errors are plain Go errors.
 */
async function readTemplate(
  kratos: Pick<KratosConfig, "source">,
  uri: string,
  client: ResilientOptions,
  cache: FetchCache | undefined,
): Promise<string> {
  try {
    const options = { client, configSource: kratos.source };
    return await readRequestTemplate(uri, cache ? { ...options, cache: { store: cache, ttlMs: JSONNET_CACHE_TTL_MS } } : options);
  } catch (error) {
    if (error instanceof FetcherError) throw internalError(error.message);
    throw error;
  }
}

/**
 * templateContextMerged of password_migration_hook.go: the web hook template
 * context (selfservice/hook/web_hook.go templateContext) with `password`
 * and `identifier`; `session` is absent (nil, omitempty).
 */
function templateContext(input: MigrationHookInput): Record<string, unknown> {
  return {
    flow: input.flow,
    ...hookRequestContext(input.request),
    identity: input.identity,
    password: input.password,
    identifier: input.identifier,
  };
}

/** The request fields of web_hook.go's templateContext: headers, method, URL and cookies of the flow's request. */
export function hookRequestContext(request: HookRequestSource): {
  request_headers: Record<string, string[]>;
  request_method: string;
  request_url: string;
  request_cookies: Record<string, string>;
} {
  return {
    request_headers: goHeaders(request.headers),
    request_method: request.method,
    request_url: requestUrl(request),
    request_cookies: goCookies(request.headers.cookie ?? []),
  };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** textproto.CanonicalMIMEHeaderKey: "x-forwarded-for" → "X-Forwarded-For" (names with other bytes stay as they are). */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** http.Header of a Go server request: canonical names, one value per header line; Host is not a header there. */
function goHeaders(headers: Record<string, string[] | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (name === "host" || !values) continue;
    const key = canonicalHeaderKey(name);
    out[key] = [...(out[key] ?? []), ...values];
  }
  return out;
}

/** x.RequestURL: the request's own URL, host from X-Forwarded-Host or Host, scheme from X-Forwarded-Proto or the connection. */
function requestUrl(request: HookRequestSource): string {
  const host = request.headers["x-forwarded-host"]?.[0] || request.headers.host?.[0] || "";
  const scheme = request.headers["x-forwarded-proto"]?.[0] || "http";
  return `${scheme}://${host}${request.target}`;
}

/** A cookie value byte net/http keeps (validCookieValueByte). */
const COOKIE_VALUE = /^[\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** http.Request.Cookies as a map (web_hook.go cookies): later cookies of the same name win, values are not decoded. */
export function goCookies(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    for (const raw of line.split(";")) {
      const part = raw.trim();
      if (part === "") continue;
      const eq = part.indexOf("=");
      const name = (eq === -1 ? part : part.slice(0, eq)).trim();
      let value = eq === -1 ? "" : part.slice(eq + 1);
      if (!TOKEN.test(name)) continue;
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!COOKIE_VALUE.test(value)) continue;
      out[name] = value;
    }
  }
  return out;
}

/**
 * addURLEncodedBody: the output must be an object of strings (json.Unmarshal
 * into map[string]string: null is ""), encoded by url.Values.Encode (keys
 * sorted, QueryEscape).
 */
function formBody(output: unknown): string {
  if (output === null || typeof output !== "object" || Array.isArray(output)) {
    throw internalError(`json: cannot unmarshal ${goJsonKind(output)} into Go value of type map[string]string`);
  }
  const entries = Object.entries(output as Record<string, unknown>);
  for (const [, value] of entries) {
    if (value !== null && typeof value !== "string") {
      throw internalError(`json: cannot unmarshal ${goJsonKind(value)} into Go value of type string`);
    }
  }
  return goValuesEncode(new Map(entries.map(([key, value]) => [goBytes(key), [typeof value === "string" ? goBytes(value) : ""]])));
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}
