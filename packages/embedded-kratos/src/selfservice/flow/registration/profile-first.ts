import { z } from "zod";
import type { KratosConfig } from "../../../config/load";
import type { UiContainer } from "../../../ui/container";
import type { StrategyContext } from "../../strategy/strategy";
import type { FlowDeps } from "../flow-deps";
import { readStrategyState, writeStrategyState, type RegistrationFlow } from "../flow";

/**
 * Two-step registration (`selfservice.flows.registration.style:
 * profile_first`, Kratos' default; selfservice/strategy/profile/registration.go):
 * the profile screen asks for the traits (`method=profile`,
 * `screen=credential-selection`), the credential-selection screen keeps them
 * as hidden inputs and offers the credential methods, and `screen=previous`
 * goes back to the profile screen.
 */
export const PROFILE = "profile";

/** The credential-selection screen's traits (the profile strategy's internal context). */
const stepSchema = z.object({ traits: z.record(z.string(), z.unknown()) });

/** config.SelfServiceFlowRegistrationTwoSteps: the deprecated `enable_legacy_one_step: true` still wins. */
export function registrationTwoSteps(config: KratosConfig): boolean {
  const registration = config.selfservice.flows.registration;
  return registration.enable_legacy_one_step !== true && registration.style === "profile_first";
}

/** NewRegistrationFlow picks the profile hydrators; once a strategy moved the flow on (a mailed code: `sent_email`), its own form takes over. */
export function rendersProfileFirst(config: KratosConfig, flow: RegistrationFlow): boolean {
  return registrationTwoSteps(config) && flow.state === "choose_method";
}

export function credentialSelectionTraits(flow: RegistrationFlow): Record<string, unknown> | undefined {
  return readStrategyState(flow, PROFILE, stepSchema)?.traits;
}

export function setCredentialSelection(flow: RegistrationFlow, traits: Record<string, unknown> | undefined): void {
  writeStrategyState(flow, PROFILE, traits === undefined ? undefined : { traits });
}

/**
 * The profile screen from every strategy's PopulateRegistrationMethodProfile,
 * and on the credential-selection screen every strategy's
 * PopulateRegistrationMethodCredentials over it (the profile strategy first,
 * as SortForHydration orders them), then the traits' values.
 */
export async function populateProfileFirst(deps: FlowDeps, flow: RegistrationFlow, ctx: StrategyContext): Promise<void> {
  const strategies = deps.strategies.for("registration");
  for (const s of strategies) await s.registration.populateProfile?.(flow, ctx);
  const traits = credentialSelectionTraits(flow);
  if (traits === undefined) return;
  for (const s of strategies) await s.registration.populateCredentials?.(flow, traits, ctx);
  setTraitValues(flow.ui, traits);
}

/** ui.Container.UpdateNodeValuesFromJSON(traits, "traits", default): every `traits.*` input of the default group takes its value. */
export function setTraitValues(ui: UiContainer, traits: Record<string, unknown>): void {
  for (const node of ui.nodes) {
    if (node.type !== "input" || node.group !== "default" || !node.attributes.name.startsWith("traits.")) continue;
    let value: unknown = traits;
    for (const segment of node.attributes.name.slice("traits.".length).split(".")) {
      value =
        typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    }
    if (value !== undefined) ui.setValue(node.attributes.name, value);
  }
}

/**
 * Thrown by the profile strategy for a profile-screen submission: the
 * registration flow shows the next screen (flow.ErrCompletedByStrategy
 * after the strategy wrote the flow).
 */
export class ShowRegistrationScreen extends Error {
  constructor(
    readonly screen: "credential-selection" | "previous",
    readonly traits: Record<string, unknown>,
  ) {
    super(`profile: show the ${screen} screen`);
  }
}
