import type Provider from "oidc-provider";
import { verifyClientSecret } from "../clients/secret-hash";
import { FositeProviderError } from "../fosite-errors";
import { currentRequest } from "./request-context";
import { authMethodMismatchHint, usedAuthMethod } from "./token-errors";

/**
 * Client authentication at the token and revocation endpoints as fosite does
 * it (client_authentication.go DefaultClientAuthenticationStrategy): a client
 * must use the method it registered — oidc-provider would accept a
 * `client_secret_basic` client posting its secret in the body and the other
 * way round — and the secret is compared against the stored hash
 * (clients/secret-hash.ts).
 */
export function installClientAuthentication(provider: Provider): void {
  provider.Client.prototype.compareClientSecret = async function compareHashed(
    this: { clientSecret?: string; clientAuthMethod: string },
    actual: string,
  ) {
    const ctx = currentRequest();
    if (ctx) {
      const used = usedAuthMethod(ctx);
      if (used !== this.clientAuthMethod)
        throw new FositeProviderError("invalid_client", authMethodMismatchHint(this.clientAuthMethod, used));
    }
    // Only the current secret: v26.2.0's client.Client is no fosite ClientWithSecretRotation.
    return Boolean(this.clientSecret) && (await verifyClientSecret(actual, this.clientSecret ?? ""));
  };
}
