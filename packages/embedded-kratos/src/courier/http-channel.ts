import { ORY_HTTP_CLIENT, privateIpPolicyOf, ResilientClientError, resilientFetch, type ResilientOptions } from "@olympus/server-kit/http";
import type { KratosConfig } from "../config/load";
import type { CourierRequestConfig } from "../config/schema";
import { HookTemplateCanceled, hookRequestHeaders, renderHookBody } from "../request/builder";
import type { CourierMessage } from "./repository";
import { goTemplateData } from "./template-data";
import type { EmailTemplates } from "./templates";

/** What the HTTP channel reads besides the message. */
export interface HttpChannelDeps {
  config: KratosConfig;
  templates: EmailTemplates;
  /** Replaces the client options built from config (tests). */
  client?: ResilientOptions;
  log?: (line: string) => void;
}

/** The channel's part of an upstream answer Kratos logs (io.LimitReader(res.Body, 1024)). */
const LOGGED_ANSWER_BYTES = 1024;

/**
 * courier/http_channel.go httpDataModel: what the body template gets as
 * `ctx`. `template_data` is the message's template (its model as JSON);
 * `html_body` only for emails; `request_headers` as stored with the message
 * (the flow request's allow-listed headers, `{}` for templates without them,
 * null for messages queued before they were stored).
 */
export async function httpChannelPayload(
  message: CourierMessage,
  deps: Pick<HttpChannelDeps, "templates" | "log">,
): Promise<Record<string, unknown>> {
  const kind = message.type === "phone" ? "sms" : "email";
  const templateData = goTemplateData(kind, message.templateType, message.templateData);
  let htmlBody = "";
  if (kind === "email") {
    // tryPopulateHTMLBody: a failed HTML render is logged and the field left out.
    try {
      htmlBody = await deps.templates.html(message.templateType, message.templateData);
    } catch (error) {
      deps.log?.(`courier: unable to get email HTML body from template: ${(error as Error).message}`);
    }
  }
  return {
    recipient: message.recipient,
    subject: message.subject,
    body: message.body,
    ...(htmlBody !== "" ? { html_body: htmlBody } : {}),
    template_type: message.templateType,
    template_data: templateData,
    message_type: kind,
    request_headers: message.requestHeaders,
  };
}

/**
 * httpChannel.Dispatch: builds the request as request.Builder does (the
 * configured method, URL and headers, the auth strategy, the Jsonnet body
 * for every method but TRACE) and sends it once through the resilient
 * client with no retries and a 10 s timeout — the courier retries. A 2xx
 * answer is a delivery; anything else throws the error recorded as the
 * failed dispatch.
 */
export async function dispatchOverHttp(requestConfig: CourierRequestConfig, message: CourierMessage, deps: HttpChannelDeps): Promise<void> {
  const payload = await httpChannelPayload(message, deps);
  const headers = hookRequestHeaders(requestConfig);
  // The registry's HTTPClient: the builder fetches a remote body template with it (request.NewBuilder gets c.d).
  const registryClient: ResilientOptions = deps.client ?? { ...ORY_HTTP_CLIENT, ...privateIpPolicyOf(deps.config) };
  // ResilientClientWithMaxRetry(0), ResilientClientWithConnectionTimeout(10s): fail fast, the queue retries.
  const client: ResilientOptions = { ...registryClient, retries: 0, attemptTimeoutMs: 10_000 };
  let body: string | undefined;
  if (requestConfig.method !== "TRACE") {
    try {
      body = await renderHookBody(
        deps.config,
        { uri: requestConfig.body, configKey: "courier.http.request_config.body" },
        headers,
        payload,
        registryClient,
        { cancelable: true },
      );
    } catch (error) {
      if (error instanceof HookTemplateCanceled) throw error;
      // A plain error with the builder's text: the dispatch records it as herodot's default 500.
      throw new Error((error as Error).message, { cause: error });
    }
  }
  const url = requestConfig.url ?? "";
  let response;
  try {
    response = await resilientFetch(url, { method: requestConfig.method, headers, ...(body === undefined ? {} : { body }) }, client);
  } catch (error) {
    if (error instanceof ResilientClientError) throw new Error(error.message, { cause: error });
    throw error;
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body.cancel().catch(() => undefined);
    return;
  }
  const answer = await readPrefix(response.body, LOGGED_ANSWER_BYTES);
  const failure = `unable to dispatch mail delivery because upstream server replied with status code ${response.status}`;
  deps.log?.(`courier: sending message ${message.id} via HTTP to ${url} failed: ${failure}; answer: ${answer}`);
  throw new Error(failure);
}

/** The first `limit` bytes of an answer, as text; the rest is discarded. */
async function readPrefix(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.subarray(0, limit - total));
      total += Math.min(value.length, limit - total);
    }
  } catch {
    // The log line is best effort; the status decides the outcome.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString("utf8");
}
