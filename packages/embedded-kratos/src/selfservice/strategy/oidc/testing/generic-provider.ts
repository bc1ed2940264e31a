import { KratosError } from "../../../../http/errors";
import { exchangeCode } from "../client";
import type { OidcProvider } from "../config";

/**
 * A `generic` provider `p` at `issuerUrl` as the provider-call tests
 * configure it (client `client` / `secret`, scope `openid`, no PKCE, private
 * addresses allowed), with `changes` over it.
 */
export const genericProvider = (issuerUrl: string, changes: Partial<OidcProvider> = {}): OidcProvider => ({
  id: "p",
  label: "P",
  type: "generic",
  linkingLabel: "P",
  clientId: "client",
  clientSecret: "secret",
  issuerUrl,
  scopes: ["openid"],
  mapperUrl: "",
  claimsSource: "id_token",
  pkce: "never",
  requestedClaims: undefined,
  additionalAudiences: [],
  privateIpPolicy: { disallowPrivateIpRanges: false },
  ...changes,
});

/** The KratosError the code exchange fails with for a callback carrying `code`; anything else fails the test. */
export async function exchangeFailure(provider: OidcProvider, code: string): Promise<KratosError> {
  const callback = new URL(`http://rp.localhost/self-service/methods/oidc/callback/p?code=${code}&state=st`);
  const error: unknown = await exchangeCode(provider, callback, { state: "st", pkce: "" }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KratosError)) throw new Error(`expected a KratosError, got ${String(error)}`);
  return error;
}
