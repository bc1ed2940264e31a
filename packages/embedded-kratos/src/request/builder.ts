import { goBytes, goValuesEncode } from "@olympus/server-kit/go-url";
import type { ResilientOptions } from "@olympus/server-kit/http";
import type { KratosConfig } from "../config/load";
import type { RequestAuthConfig } from "../config/schema";
import { type FetchCache, JSONNET_CACHE_TTL_MS } from "../fetcher/cache";
import { FetcherError } from "../fetcher/fetcher";
import { KratosError } from "../http/errors";
import { evaluateJsonnet, jsonnetsecureErrorText } from "../jsonnet/index";
import { fromJson, manifestJsonText } from "../jsonnet/values";
import { readRequestTemplate } from "./template";

/**
 * Kratos' request package (request/builder.go, auth.go): the outgoing requests
 * of the password migration hook, web hooks and the courier's HTTP channel
 * share its headers, auth and Jsonnet body.
 */

/** The configured headers and auth of a request (the `config` of a hook or courier request). */
export interface RequestHeadersConfig {
  headers?: Record<string, string> | undefined;
  auth?: RequestAuthConfig | undefined;
}

const CONTENT_TYPE_JSON = "application/json";
const CONTENT_TYPE_FORM = "application/x-www-form-urlencoded";

/** request/builder.go NewBuilder + BuildRequest: the configured headers (JSON by default), then the auth strategy. */
export function hookRequestHeaders(config: RequestHeadersConfig): Headers {
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
function applyAuth(headers: Headers, auth: RequestAuthConfig | undefined): void {
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
