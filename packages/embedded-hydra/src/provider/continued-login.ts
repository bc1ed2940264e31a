import type { IncomingMessage } from "node:http";
import type { Interaction } from "oidc-provider";

/**
 * A login verifier followed after oidc-provider's interaction for its flow
 * was resumed (Hydra's verifier can be followed again, and a challenge
 * handled again hands out a new one): the verifier URL runs as a new
 * authorization, and the login prompt it opens takes the flow's accepted
 * login instead of asking the login UI again (provider/interactions.ts).
 * An accepted consent verifier whose interaction is gone continues so too,
 * its consent carried on the login's result (CONTINUED_CONSENT_KEY).
 * Kept per request: only the request that carried the verifier continues.
 */
export type ContinueLogin = (interaction: Interaction) => Promise<void>;

/**
 * The interaction result key of a consent that already took effect (its
 * grant id): an accepted consent verifier whose interaction was gone runs as
 * a new authorization, and its consent prompt finishes with that grant
 * instead of opening a consent request (provider/interactions.ts).
 */
export const CONTINUED_CONSENT_KEY = "hydraContinuedConsent";

const pending = new WeakMap<IncomingMessage, ContinueLogin>();

export function continueLoginIn(req: IncomingMessage, apply: ContinueLogin): void {
  pending.set(req, apply);
}

/** The accepted login this request continues with, handed out once. */
export function takeContinuedLogin(req: IncomingMessage): ContinueLogin | undefined {
  const apply = pending.get(req);
  pending.delete(req);
  return apply;
}
