/**
 * Whether a consent Hydra marks `skip: true` is covered by what the person
 * actually granted before. Hydra's skip is not enough on its own: for a
 * device authorization it compares the remembered grant with an empty scope
 * list (consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest
 * builds the request it passes to requestConsent without the device's
 * scopes), so any remembered consent of the client marks a device request
 * for more scopes as skippable. Granting the requested scopes on that skip
 * would hand a device scopes the person never saw.
 */

/** The parts of Hydra's consent session this check reads. */
export interface RememberedGrant {
  clientId: string | undefined;
  grantScope: readonly string[];
  grantAudience: readonly string[];
}

export interface ConsentAsk {
  clientId: string | undefined;
  requestedScope: readonly string[];
  requestedAudience: readonly string[];
}

/** True when one remembered grant of the same client holds every requested scope and audience. */
export function rememberedGrantCovers(grants: readonly RememberedGrant[], ask: ConsentAsk): boolean {
  if (!ask.clientId) return false;
  return grants.some(
    (grant) =>
      grant.clientId === ask.clientId &&
      ask.requestedScope.every((scope) => grant.grantScope.includes(scope)) &&
      ask.requestedAudience.every((audience) => grant.grantAudience.includes(audience)),
  );
}
