import { AsyncLocalStorage } from "node:async_hooks";
import type { KoaContextWithOIDC } from "oidc-provider";

/**
 * The oidc-provider request being handled, for the model hooks oidc-provider
 * calls without a context (Client#compareClientSecret, token formats). Set by
 * a middleware in create-provider.ts around every request.
 */
export const requestContext = new AsyncLocalStorage<KoaContextWithOIDC>();

export function currentRequest(): KoaContextWithOIDC | undefined {
  return requestContext.getStore();
}
