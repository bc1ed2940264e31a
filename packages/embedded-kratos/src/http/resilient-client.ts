import {
  ORY_HTTP_CLIENT,
  resilientFetch as fetchResiliently,
  type OutboundRequest,
  type OutboundResponse,
  type ResilientOptions,
} from "@olympus/server-kit/http";

/**
 * Kratos' outgoing HTTP client (driver/registry_default.go HTTPClient):
 * ory/x httpx.NewResilientClient with two retries and a 30 s timeout per
 * attempt — @olympus/server-kit/http's resilient client, which the embedded
 * Hydra uses too. Callers add `clients.http`'s private-IP policy and the
 * request's signal where Kratos passes them.
 */
export const KRATOS_WEB_HOOK_CLIENT: ResilientOptions = ORY_HTTP_CLIENT;

export { ResilientClientError, type OutboundResponse, type ResilientOptions } from "@olympus/server-kit/http";

export function resilientFetch(
  url: string,
  request: OutboundRequest,
  options: ResilientOptions = KRATOS_WEB_HOOK_CLIENT,
): Promise<OutboundResponse> {
  return fetchResiliently(url, request, options);
}
