import type { IncomingMessage } from "node:http";
import type { Interaction } from "oidc-provider";

/**
 * A login verifier followed after oidc-provider's interaction for its flow
 * was resumed (Hydra's verifier can be followed again, and a challenge
 * handled again hands out a new one): the verifier URL runs as a new
 * authorization, and the login prompt it opens takes the flow's accepted
 * login instead of asking the login UI again (provider/interactions.ts).
 * Kept per request: only the request that carried the verifier continues.
 */
export type ContinueLogin = (interaction: Interaction) => Promise<void>;

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
