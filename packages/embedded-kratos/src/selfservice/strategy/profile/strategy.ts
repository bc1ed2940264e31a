import { submittedTraits } from "../submission";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import { traitNodes } from "../../flow/trait-nodes";
import type { Strategy } from "../strategy";
import { requireValidTraits } from "../traits-validation";
import { profileRegistration } from "./registration";

/** Profile: edit traits in settings; two-step (profile first) registration (one-step registration is the credential strategies'). */
export const profileStrategy: Strategy = {
  id: "profile",
  group: "profile",
  // registration/sort.go lists the profile group last.
  nodeOrder: { registration: 100, settings: 10 },
  enabled: (config) => config.selfservice.methods.profile.enabled,
  registration: profileRegistration,
  settings: {
    populate(flow, ctx) {
      const identity = ctx.identity;
      if (!identity) return;
      const schema = ctx.deps.identities.schemaOf(identity.schemaId);
      flow.ui.append(
        ...traitNodes(schema, "profile", identity.traits),
        inputNode("profile", "method", "submit", { value: "profile", label: messages.labelSave() }),
      );
    },

    // strategy.go Settings: the identity schema's decoder checks the traits before continueFlow's EnsureCSRF.
    async decode(_flow, body, ctx) {
      if (ctx.identity) await requireValidTraits(ctx.identity.schemaId, body, ctx);
    },

    // The traits are checked (fetching the schema's http(s) `$ref` documents) and set in memory; the settings handler stores them.
    async submit(_flow, body, ctx) {
      const identity = ctx.identity;
      if (!identity) return Promise.reject(new Error("settings strategy called without identity"));
      const schema = ctx.deps.identities.schemaOf(identity.schemaId);
      const traits = submittedTraits(schema, body);
      await requireValidTraits(identity.schemaId, body, ctx);
      const before = JSON.stringify(Object.values(identity.credentials).map((c) => c.identifiers));
      const addressesBefore = JSON.stringify(identity.verifiableAddresses.map((a) => a.value));
      await ctx.deps.identities.setTraits(identity, traits);
      const after = JSON.stringify(Object.values(identity.credentials).map((c) => c.identifiers));
      const addressesAfter = JSON.stringify(identity.verifiableAddresses.map((a) => a.value));
      // Changing a login identifier or a verifiable address needs a fresh login, as in Kratos.
      return Promise.resolve({ identity, privileged: before !== after || addressesBefore !== addressesAfter });
    },
  },
};
