import { z } from "zod";
import type { KratosConfig } from "../../../config/load";
import { sortNodes, type SortOptions } from "../../../ui/sort";
import type { StrategyContext } from "../../strategy/strategy";
import type { FlowDeps } from "../flow-deps";
import { readStrategyState, writeStrategyState, type LoginFlow } from "../flow";
import { duplicateCredentialsOf } from "./link-credentials";

/**
 * `selfservice.flows.login.style: identifier_first` (Kratos' idfirst
 * strategy and login.Handler.NewLoginFlow): the first screen asks for the
 * identifier only; its submission (`method=identifier_first`) looks the
 * account up and shows the second screen — the identifier kept as a hidden
 * input and the methods that account can sign in with.
 */
export const IDENTIFIER_FIRST = "identifier_first";

/** What the second screen needs: the identifier the first one submitted (the strategy's internal context). */
const stepSchema = z.object({ identifier: z.string() });

export function identifierFirstEnabled(config: KratosConfig): boolean {
  return config.selfservice.flows.login.style === "identifier_first";
}

/**
 * NewLoginFlow picks the identifier-first hydrators for aal1 flows that are
 * neither a refresh nor the login of an account-linking sign-up. Once a
 * strategy has moved the flow on (a mailed code: `sent_email`), its own form
 * takes over.
 */
export function rendersIdentifierFirst(config: KratosConfig, flow: LoginFlow): boolean {
  return (
    identifierFirstEnabled(config) &&
    !flow.refresh &&
    (flow.requestedAal ?? "aal1") === "aal1" &&
    flow.state === "choose_method" &&
    duplicateCredentialsOf(flow) === undefined
  );
}

export function identifierFirstStep(flow: LoginFlow): string | undefined {
  return readStrategyState(flow, IDENTIFIER_FIRST, stepSchema)?.identifier;
}

export function setIdentifierFirstStep(flow: LoginFlow, identifier: string | undefined): void {
  writeStrategyState(flow, IDENTIFIER_FIRST, identifier === undefined ? undefined : { identifier });
}

/**
 * Both screens. The second follows idfirst.Strategy.Login: the account is
 * looked up by any credential identifier (without its credentials under
 * account-enumeration mitigation), every strategy adds what that account
 * can use, then the `identifier_first` submit button goes and the
 * identifier becomes hidden. When no strategy found anything and mitigation
 * is off, the step is dropped (the caller reports 4000037) and the first
 * screen stays.
 */
export async function populateIdentifierFirst(deps: FlowDeps, flow: LoginFlow, ctx: StrategyContext, sort: SortOptions): Promise<void> {
  const strategies = deps.strategies.for("login");
  // Whichever hydrator runs first (oidc, passkey, else idfirst itself) sets the CSRF token before its nodes.
  flow.ui.setCsrf(flow.csrfToken);
  for (const s of strategies) await s.login.populateIdentification?.(flow, ctx);
  const identifier = identifierFirstStep(flow);
  if (identifier === undefined) return;
  // The first screen as NewLoginFlow sorted it; the second appends to it unsorted.
  sortNodes(flow.ui, sort);

  const mitigate = deps.config.security.account_enumeration.mitigate;
  const found = await deps.identityRepository.findByAnyCredentialIdentifier(identifier, { withCredentials: !mitigate });
  const identity = found && mitigate ? { ...found, credentials: {} } : found;
  flow.ui.setValue("identifier", identifier);
  let populated = false;
  for (const s of strategies) {
    if (
      s.login.populateIdentifierFirstCredentials &&
      (await s.login.populateIdentifierFirstCredentials(flow, { identity, identifier }, ctx))
    )
      populated = true;
  }
  if (!populated && !mitigate) {
    setIdentifierFirstStep(flow, undefined);
    return;
  }
  flow.ui.nodes = flow.ui.nodes.filter(
    (n) => !(n.type === "input" && n.attributes.name === "method" && n.attributes.value === IDENTIFIER_FIRST),
  );
  const input = flow.ui.findInput("identifier");
  if (input) {
    input.attributes.type = "hidden";
    input.attributes.autocomplete = "username webauthn";
  }
}

/**
 * Thrown by the identifier_first strategy for a valid first-screen
 * submission: the login flow then shows the second screen
 * (flow.ErrCompletedByStrategy after idfirst.Strategy.Login wrote the flow).
 */
export class ShowIdentifierFirstCredentials extends Error {
  constructor(readonly identifier: string) {
    super("identifier_first: show the credentials of the account");
  }
}
