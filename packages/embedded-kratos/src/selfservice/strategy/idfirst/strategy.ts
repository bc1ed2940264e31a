import { identifierLabelFromSchema } from "../../flow/login/identifier-label";
import { IDENTIFIER_FIRST, identifierFirstEnabled, ShowIdentifierFirstCredentials } from "../../flow/login/identifier-first";
import { messages } from "../../../ui/messages";
import { inputNode } from "../../../ui/node";
import type { Strategy } from "../strategy";

/**
 * Kratos' idfirst strategy (selfservice/strategy/idfirst/strategy_login.go),
 * on when `selfservice.flows.login.style` is `identifier_first`: the first
 * login screen (identifier + Continue, group `identifier_first`) and its
 * submission, which the login flow answers with the second screen
 * (flow/login/identifier-first.ts). It adds nothing to refresh or aal2
 * flows and has no credentials of its own.
 */
export const identifierFirstStrategy: Strategy = {
  id: IDENTIFIER_FIRST,
  group: IDENTIFIER_FIRST,
  // Kratos' login sort does not list the group, and SortByGroups puts unlisted groups (index -1) before every listed one.
  nodeOrder: { login: -100 },
  enabled: identifierFirstEnabled,
  // strategy_login.go Login: with the style off it is not responsible, before anything else.
  disabledIsNotResponsible: true,
  login: {
    // strategy_login.go Login asks no `method`: past the style and an aal1 flow, every submission that reaches it
    // (the last strategy Kratos asks) is an identifier to look up.
    responsible: ({ flow }) => (flow.requestedAal ?? "aal1") === "aal1",
    populate() {},

    // PopulateLoginMethodIdentifierFirstIdentification: labelled from the flow's own schema (GetIdentifierLabelFromSchema).
    // Its identifier is SetNode (Nodes.Upsert): it takes the place of an `identifier` a strategy before it added
    // (passkey's, in the default group) instead of adding a second one.
    populateIdentification(flow, ctx) {
      const schema = ctx.deps.schemas.get(flow.identitySchema ?? ctx.deps.schemas.defaultId);
      flow.ui.upsert(
        inputNode(IDENTIFIER_FIRST, "identifier", "text", {
          value: "",
          required: true,
          autocomplete: "username webauthn",
          label: identifierLabelFromSchema(schema),
        }),
      );
      flow.ui.append(inputNode(IDENTIFIER_FIRST, "method", "submit", { value: IDENTIFIER_FIRST, label: messages.labelContinue() }));
    },

    // Its login.schema.json gives `identifier` minLength 1, but decoderx leaves an empty form value out
    // (decodeURLValues), so an empty identifier is looked up like any other (and not found).
    submit(_flow, body) {
      const identifier = typeof body.identifier === "string" ? body.identifier : "";
      return Promise.reject(new ShowIdentifierFirstCredentials(identifier));
    },
  },
};
