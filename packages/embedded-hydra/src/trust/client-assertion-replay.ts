import type Provider from "oidc-provider";
import { FositeProviderError } from "../fosite-errors";
import { verifiedAssertion } from "../provider/verified-assertions";
import type { TrustRepository } from "./repository";

type UniqueCheck = (iss: string, jti: string, exp: number) => Promise<boolean>;

/**
 * `private_key_jwt` client assertions share the used-`jti` list of the
 * JWT-bearer grant, as in Hydra, where fosite's client authentication
 * (client_authentication.go: ClientAssertionJWTValid, then
 * SetClientAssertionJWT) and the rfc7523 handler (IsJWTUsed /
 * MarkJWTUsedForTime, which Hydra's persister routes to the same two
 * functions) keep one table keyed by the bare `jti`. oidc-provider would keep
 * its own replay records keyed by issuer and `jti`, so an id used for one
 * kind of assertion would pass for the other. DPoP, the other user of
 * oidc-provider's replay check, is disabled here. An assertion fosite's
 * checks accepted in front of oidc-provider has its `jti` recorded already.
 */
export function installSharedAssertionReplay(provider: Provider, trust: TrustRepository): void {
  const unique: UniqueCheck = async (_iss, jti, exp) => {
    if (verifiedAssertion()) return true;
    if (await trust.isJtiUsed(jti))
      throw new FositeProviderError("jti_known", "Claim 'jti' from 'client_assertion' MUST only be used once.");
    // SetClientAssertionJWT: a concurrent request recorded the id first.
    if (!(await trust.markJtiUsed(jti, new Date(exp * 1000)))) throw new FositeProviderError("jti_known", null);
    return true;
  };
  Object.defineProperty(provider.ReplayDetection, "unique", { value: unique, configurable: true, writable: true });
}
