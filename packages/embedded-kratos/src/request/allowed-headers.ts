import type { KratosConfig } from "../config/load";
import { WEB_HOOK_HEADER_ALLOWLIST } from "../config/schema";
import { canonicalHeaderKey, goHeaders } from "./template-context";

/** selfservice/hook/web_hook.go RemoveDisallowedHeaders: only the allow-listed headers (canonical names) are kept. */
export function removeDisallowedHeaders(headers: Record<string, string[]>, allowlist: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const allowed of allowlist) {
    const key = canonicalHeaderKey(allowed);
    const values = headers[key];
    if (values) out[key] = values;
  }
  return out;
}

/**
 * The flow request's headers as Kratos hands them on (code_sender.go:
 * RemoveDisallowedHeaders(r.Header, WebhookHeaderAllowlist)): Go's
 * http.Header of the request, filtered by `clients.web_hook.header_allowlist`.
 */
export function allowedRequestHeaders(config: KratosConfig, headers: Record<string, string[] | undefined>): Record<string, string[]> {
  return removeDisallowedHeaders(goHeaders(headers), config.clients.web_hook?.header_allowlist ?? WEB_HOOK_HEADER_ALLOWLIST);
}
