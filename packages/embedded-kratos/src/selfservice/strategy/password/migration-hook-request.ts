import { readFile } from "node:fs/promises";
import path from "node:path";
import type { KratosConfig } from "../../../config/load";
import { resolveFileUrl } from "../../../config/load";
import { KratosError } from "../../../http/errors";
import { ORY_HTTP_CLIENT, resilientFetch, type ResilientOptions } from "@olympus/server-kit/http";
import { goBytes, goValuesEncode } from "@olympus/server-kit/go-url";
import { evaluateJsonnet, jsonnetsecureErrorText } from "../../../jsonnet/index";
import { fromJson, manifestJsonText } from "../../../jsonnet/values";

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
  const headers = new Headers(config.headers ?? {});
  if (!headers.get("Content-Type")) headers.set("Content-Type", CONTENT_TYPE_JSON);
  applyAuth(headers, config.auth);
  if (!config.body) {
    // json.Marshal(PasswordMigrationRequest): the raw body, whatever Content-Type says.
    return { headers, body: JSON.stringify({ identifier: input.identifier, password: input.password }) };
  }
  const template = await readTemplate(kratos, config.body, client);
  const ctx = templateContext(input);
  const contentType = headers.get("Content-Type");
  if (contentType !== CONTENT_TYPE_JSON && contentType !== CONTENT_TYPE_FORM) {
    throw internalError("invalid config - incorrect Content-Type for request with body");
  }
  let output: unknown;
  try {
    output = evaluateJsonnet(template, { extVars: {}, tlas: { ctx }, filename: config.body });
  } catch (error) {
    // request/builder.go addJSONBody / addURLEncodedBody: errors.WithStack of the VM's error.
    throw internalError(jsonnetsecureErrorText(error));
  }
  if (contentType === CONTENT_TYPE_FORM) return { headers, body: formBody(output) };
  // go-jsonnet's output: three-space indentation and a final newline.
  return { headers, body: `${manifestJsonText(fromJson(output), "   ", "\n")}\n` };
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
 * x/fetcher FetchContext: base64://, file:// (or a plain path, the legacy
 * form) relative to the config file, and http(s):// through the same
 * resilient client (the builder's deps.HTTPClient, in the hook's context).
 * The password migration hook's builder has no cache.
 */
async function readTemplate(kratos: Pick<KratosConfig, "source">, uri: string, client: ResilientOptions): Promise<string> {
  if (uri.startsWith("base64://")) return Buffer.from(uri.slice("base64://".length), "base64").toString("utf8");
  if (/^https?:\/\//.test(uri)) {
    try {
      const response = await resilientFetch(uri, { method: "GET", headers: new Headers() }, client);
      if (response.status !== 200) {
        await response.body.cancel().catch(() => undefined);
        throw new Error(`expected http response status code 200 but got ${response.status} when fetching: ${uri}`);
      }
      return await response.text();
    } catch (error) {
      throw internalError((error as Error).message);
    }
  }
  const file = resolveFileUrl(uri, path.dirname(kratos.source), "selfservice.methods.password.config.migrate_hook.config.body");
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw internalError((error as Error).message);
  }
}

/**
 * templateContextMerged of password_migration_hook.go: the web hook template
 * context (selfservice/hook/web_hook.go templateContext) with `password`
 * and `identifier`; `session` is absent (nil, omitempty).
 */
function templateContext(input: MigrationHookInput): Record<string, unknown> {
  const { request } = input;
  return {
    flow: input.flow,
    request_headers: goHeaders(request.headers),
    request_method: request.method,
    request_url: requestUrl(request),
    request_cookies: goCookies(request.headers.cookie ?? []),
    identity: input.identity,
    password: input.password,
    identifier: input.identifier,
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
