import { randomUUID } from "node:crypto";
import {
  abandonmentSignal,
  ORY_HTTP_CLIENT,
  privateIpPolicyOf,
  ResilientClientError,
  resilientFetch,
  type OutboundResponse,
  type ResilientOptions,
} from "@olympus/server-kit/http";
import { WEB_HOOK_HEADER_ALLOWLIST, type WebHookConfig } from "../../config/schema";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import { KratosError } from "../../http/errors";
import type { Identity } from "../../identity/identity";
import { PerInstanceFetchCache } from "../../fetcher/cache";
import { HookTemplateCanceled, hookRequestHeaders, renderHookBody } from "../../request/builder";
import { canonicalHeaderKey, hookRequestContext } from "../../request/template-context";
import type { ConfiguredHook } from "./hook";
import { parseWebHookResponse, type IdentityAnswer } from "./web-hook-response";

/** web_hook.go jsonnetCache: the templates every web hook reads, 100 MB, each kept 60 minutes (request/builder.go readTemplate); one per instance here. */
const jsonnetCache = new PerInstanceFetchCache(100 << 20);

/** web_hook.go execute reads at most 5 MB of the target's answer. */
const MAX_ANSWER_BYTES = 5 << 20;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface WebHookCall {
  ctx: HttpContext;
  /** The flow as its API answer renders it. */
  flow: Record<string, unknown>;
  /** The identity the hook may change (parse: true), and its JSON for the template. */
  identity?: { value: Identity; json: Record<string, unknown> };
  session?: Record<string, unknown>;
  /** Go's context.WithoutCancel: the call outlives the client's connection (registration post-persist). */
  detached?: boolean;
}

/**
 * web_hook.go WebHook.execute: the request request.Builder builds (method,
 * URL, headers, auth, the Jsonnet body for the template context) sent
 * through the resilient client; `response.ignore` sends it without waiting,
 * a template answering `error "cancel"` sends nothing, a status ≥ 400 is a
 * 502 (or, with can_interrupt / parse, the messages it carries), and a 200
 * with `response.parse` may change the identity.
 */
/** The config start-up parsed (config/schema.ts hookSchema); a hook entry without one is not a checked web hook. */
export function parsedConfig(entry: ConfiguredHook): WebHookConfig {
  if (!entry.webHook) throw new Error(`embedded-kratos: web hook entry without a parsed config (${entry.hook})`);
  return entry.webHook;
}

export async function executeWebHook(deps: Deps, config: WebHookConfig, call: WebHookCall): Promise<IdentityAnswer | undefined> {
  if (!config.response.ignore) return send(deps, config, call, config.can_interrupt || config.response.parse);
  // Fire and forget: errors are only logged, the flow goes on at once.
  send(deps, config, { ...call, detached: true }, false).catch((error: unknown) => {
    deps.log(`embedded-kratos: web hook request failed, ignored as configured: ${error instanceof Error ? error.message : String(error)}`);
  });
  return undefined;
}

async function send(deps: Deps, config: WebHookConfig, call: WebHookCall, interrupts: boolean): Promise<IdentityAnswer | undefined> {
  // request.NewBuilder: retryablehttp.NewRequest refuses a method that is not a token and a URL that does not parse.
  if (!TOKEN.test(config.method)) throw new KratosError(500, { message: `net/http: invalid method ${JSON.stringify(config.method)}` });
  const headers = hookRequestHeaders(config);
  const context = {
    flow: call.flow,
    ...hookRequestContext({ method: call.ctx.method, target: call.ctx.req.url ?? "/", headers: call.ctx.req.headersDistinct }),
    ...(call.identity ? { identity: call.identity.json } : {}),
    ...(call.session ? { session: call.session } : {}),
  };
  context.request_headers = allowedHeaders(
    context.request_headers,
    deps.config.clients.web_hook?.header_allowlist ?? WEB_HOOK_HEADER_ALLOWLIST,
  );

  const abandoned = call.detached ? undefined : abandonmentSignal(call.ctx.req.socket);
  const client: ResilientOptions = {
    ...ORY_HTTP_CLIENT,
    ...privateIpPolicyOf(deps.config),
    ...(abandoned ? { signal: abandoned.signal } : {}),
  };
  try {
    let body: string | undefined;
    // BuildRequest: every method but TRACE carries the template's output.
    if (config.method !== "TRACE") {
      if (!config.body) throw new KratosError(500, { message: "got empty template path for request with body" });
      try {
        const template = { uri: config.body, configKey: "selfservice.flows.*.hooks[].config.body" };
        body = await renderHookBody(deps.config, template, headers, context, client, {
          cancelable: true,
          cache: jsonnetCache.of(deps.config),
        });
      } catch (error) {
        if (error instanceof HookTemplateCanceled) return undefined;
        throw error;
      }
    }
    if (config.emit_analytics_event) {
      // InstrumentHTTPClientForEvents: one trigger id for the call, a new request id for each attempt (RequestLogHook).
      const triggerId = randomUUID();
      client.requestLogHook = (request) => {
        request.headers.set("Ory-Webhook-Request-ID", randomUUID());
        request.headers.set("Ory-Webhook-Trigger-ID", triggerId);
      };
    }
    const response = await dispatch(config, headers, body, client);
    if (response.status >= 400) {
      if (interrupts) parseWebHookResponse(response.status, await readCapped(response), call.identity?.value);
      else await response.body.cancel().catch(() => undefined);
      throw new KratosError(502, {
        reason: "A third-party upstream service responded improperly. Please try again later.",
        message: `webhook failed with status code ${response.status}`,
      });
    }
    if (config.response.parse) return parseWebHookResponse(response.status, await readCapped(response), call.identity?.value);
    await response.body.cancel().catch(() => undefined);
    return undefined;
  } finally {
    abandoned?.dispose();
  }
}

async function dispatch(
  config: WebHookConfig,
  headers: Headers,
  body: string | undefined,
  client: ResilientOptions,
): Promise<OutboundResponse> {
  try {
    return await resilientFetch(config.url, { method: config.method, headers, ...(body === undefined ? {} : { body }) }, client);
  } catch (error) {
    if (!(error instanceof ResilientClientError)) throw error;
    // IsTimeoutError: a per-attempt timeout (Client.Timeout) or an expired deadline is a 504.
    if (/Client\.Timeout exceeded|context deadline exceeded/.test(error.message)) {
      throw new KratosError(504, {
        reason: "A third-party upstream service could not be reached. Please try again later.",
        message: error.message,
      });
    }
    throw new KratosError(500, { message: error.message });
  }
}

/** web_hook.go RemoveDisallowedHeaders: only the allow-listed request headers (canonical names) reach the template. */
function allowedHeaders(headers: Record<string, string[]>, allowlist: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const allowed of allowlist) {
    const key = canonicalHeaderKey(allowed);
    const values = headers[key];
    if (values) out[key] = values;
  }
  return out;
}

/** io.LimitReader(resp.Body, 5 MB): what arrives past the cap is not read. */
async function readCapped(response: OutboundResponse): Promise<Uint8Array> {
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ANSWER_BYTES) {
    const chunk = await reader.read();
    if (chunk.done) break;
    chunks.push(chunk.value);
    size += chunk.value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES);
}
