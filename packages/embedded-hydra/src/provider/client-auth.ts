import type Provider from "oidc-provider";
import { ROTATED_SECRETS_METADATA } from "../clients/model";
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
    this: { clientSecret?: string; clientAuthMethod: string; metadata(): Record<string, unknown> },
    actual: string,
  ) {
    const ctx = currentRequest();
    if (ctx) {
      const used = usedAuthMethod(ctx);
      if (used !== this.clientAuthMethod)
        throw new FositeProviderError("invalid_client", authMethodMismatchHint(this.clientAuthMethod, used));
    }
    if (this.clientSecret && (await verifyClientSecret(actual, this.clientSecret))) return true;
    // Secrets rotated away still authenticate until the rotated ones are cleared (fosite's client RotatedSecrets).
    const rotated = this.metadata()[ROTATED_SECRETS_METADATA];
    for (const hash of Array.isArray(rotated) ? rotated : []) {
      if (typeof hash === "string" && (await verifyClientSecret(actual, hash))) return true;
    }
    return false;
  };
}
