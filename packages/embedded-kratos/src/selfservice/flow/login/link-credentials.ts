import { z } from "zod";
import type { Identity } from "../../../identity/identity";
import { DuplicateIdentifierError } from "../../../identity/repository";
import { messages } from "../../../ui/messages";
import type { AuthenticationMethod } from "../../../session/session";
import type { FlowDeps } from "../flow-deps";
import { readStrategyState, writeStrategyState, type Flow } from "../flow";
import { FlowValidationError } from "../validation-error";
import { nowMicroseconds } from "../../../clock/clock";

/**
 * flow.DuplicateCredentialsData: a sign-up (e.g. social) found the address
 * already used by another account and sent the person to this login flow;
 * the credentials it would have created wait here (Kratos' internal context
 * key `registration_duplicate_credentials`, Go field names).
 */
export const DUPLICATE_CREDENTIALS_KEY = "registration_duplicate_credentials";
export const duplicateCredentialsSchema = z.object({
  CredentialsType: z.string(),
  CredentialsConfig: z.record(z.string(), z.unknown()),
  DuplicateIdentifier: z.string(),
  /** The provider the person tried: its button is left out of the linking form. */
  Provider: z.string().optional(),
});
export type DuplicateCredentials = z.infer<typeof duplicateCredentialsSchema>;

export function duplicateCredentialsOf(flow: Flow): DuplicateCredentials | undefined {
  return flow.kind === "login" ? readStrategyState(flow, DUPLICATE_CREDENTIALS_KEY, duplicateCredentialsSchema) : undefined;
}

/**
 * HookExecutor.maybeLinkCredentials: once the person has signed in to the
 * existing account — which must own the duplicate identifier
 * (checkDuplicateCredentialsIdentifierMatch, else 4010009) — the waiting
 * credentials are added to it by their strategy (LinkableStrategy.Link) and
 * the session gains that method (CompletedLogin). Nothing is linked
 * without such a sign-in, nor before the session being completed satisfies
 * `session.whoami.required_aal` (checkAAL): the login hook then carries the
 * credential on to a second-factor login (link-at-higher-aal.ts).
 */
export async function maybeLinkCredentials(
  deps: FlowDeps,
  flow: Flow,
  signedIn: Identity,
  sessionSatisfiesRequiredAal: boolean,
): Promise<AuthenticationMethod | undefined> {
  if (!sessionSatisfiesRequiredAal) return undefined;
  const data = duplicateCredentialsOf(flow);
  if (!data) return undefined;
  const identity = await deps.identityRepository.get(signedIn.id, { withCredentials: true });
  if (!identity) return undefined;
  const owns = Object.values(identity.credentials).some((c) => c.identifiers.includes(data.DuplicateIdentifier));
  if (!owns) throw FlowValidationError.flow({ id: 4010009, text: "Linked credentials do not match.", type: "error" });
  const strategy = deps.strategies.byMethod(data.CredentialsType);
  const method = strategy?.linkCredentials?.(identity, data.CredentialsConfig, deps);
  if (!method) return undefined;
  identity.availableAal = deps.aal.availableFor(identity);
  identity.updatedAt = nowMicroseconds();
  try {
    await deps.identityRepository.update(identity);
  } catch (error) {
    if (error instanceof DuplicateIdentifierError) throw FlowValidationError.flow(messages.duplicateCredentials());
    throw error;
  }
  signedIn.credentials = identity.credentials;
  writeStrategyState(flow, DUPLICATE_CREDENTIALS_KEY, undefined);
  return method;
}
