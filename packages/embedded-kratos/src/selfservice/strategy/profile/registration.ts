import { submittedTraits } from "../submission";
import type { JsonObject } from "../../../http/body";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import { registrationTwoSteps, ShowRegistrationScreen } from "../../flow/registration/profile-first";
import { registrationSchemaId } from "../../flow/registration/schema";
import { traitNodes } from "../../flow/trait-nodes";
import type { RegistrationStrategy } from "../strategy";
import { profileMessages } from "./messages";
import { requireValidTraits } from "../traits-validation";

const isSubmitProfile = (name: string, value: unknown) => name === "method" && value === "profile";

/** Strategy.Register: `screen=previous`, or the older `method=profile:back` without a screen. */
function isPrevious(method: string, body: JsonObject): boolean {
  const screen = typeof body.screen === "string" ? body.screen : "";
  return screen === "previous" || (screen === "" && method === "profile:back");
}

/**
 * Two-step registration (selfservice/strategy/profile/registration.go), on
 * when config.SelfServiceFlowRegistrationTwoSteps says so: the profile
 * screen's traits and `method=profile` button, the credential-selection
 * screen's Back button (`screen=previous`), and the submissions that move
 * between them. One-step registration is the credential strategies' own.
 */
export const profileRegistration: RegistrationStrategy = {
  // Strategy.decode: `method` profile (or the older profile:back) or any `screen`; never with two steps off.
  responsible: ({ method, body }, ctx) =>
    registrationTwoSteps(ctx.deps.config) &&
    (method === "profile" || method === "profile:back" || (typeof body.screen === "string" && body.screen !== "")),

  // returnToProfileForm calls no EnsureCSRF: going back only shows the profile screen again.
  skipsCsrfCheck: ({ method, body }) => isPrevious(method, body),

  // The one-step form takes its traits from the credential strategies here.
  populate() {},

  // PopulateRegistrationMethodProfile: the schema's traits and "Sign up" (1040001) submitting method=profile.
  populateProfile(flow, ctx) {
    const schema = ctx.deps.identities.schemaOf(registrationSchemaId(flow, ctx.deps.schemas.defaultId));
    for (const node of traitNodes(schema, "default")) flow.ui.upsert(node);
    flow.ui.append(inputNode("profile", "method", "submit", { value: "profile", label: messages.registrationSubmit() }));
  },

  // PopulateRegistrationMethodCredentials: Back (1040008), no profile submit, every default input hidden, 1040009.
  populateCredentials(flow) {
    flow.ui.append(inputNode("profile", "screen", "submit", { value: "previous", label: profileMessages.back() }));
    flow.ui.nodes = flow.ui.nodes.filter((n) => !(n.type === "input" && isSubmitProfile(n.attributes.name, n.attributes.value)));
    for (const node of flow.ui.nodes) if (node.group === "default" && node.type === "input") node.attributes.type = "hidden";
    flow.ui.addMessage(profileMessages.chooseCredentials());
  },

  // registration.go Strategy.decode: registration.DecodeBody checks a given `traits` against the identity schema, whichever screen follows, before any EnsureCSRF.
  async decode(flow, body, ctx) {
    if (body.traits !== undefined) await requireValidTraits(registrationSchemaId(flow, ctx.deps.schemas.defaultId), body, ctx);
  },

  // Strategy.Register: `screen=previous` (or method profile:back) goes back; otherwise the traits must pass the schema first (IdentityValidator).
  async submit(flow, body, ctx) {
    const schemaId = registrationSchemaId(flow, ctx.deps.schemas.defaultId);
    const schema = ctx.deps.identities.schemaOf(schemaId);
    const traits = submittedTraits(schema, body);
    if (isPrevious(typeof body.method === "string" ? body.method : "", body))
      return Promise.reject(new ShowRegistrationScreen("previous", traits));
    await requireValidTraits(schemaId, body, ctx);
    return Promise.reject(new ShowRegistrationScreen("credential-selection", traits));
  },
};
