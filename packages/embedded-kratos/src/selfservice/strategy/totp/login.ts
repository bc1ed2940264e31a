import { messages } from "../../../ui/messages";
import type { LoginFlow } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext, LoginStrategy } from "../strategy";
import { totpSecretOf } from "./credential";
import { verifyTotp } from "./key";
import { totpMessages } from "./messages";
import { loginCodeNode, loginSubmitNode } from "./nodes";
import { sessionIdentityWithCredentials } from "../session-identity";
import { now as timeNow } from "../../../clock/clock";

/** TOTP is a second factor only: offered on `aal=aal2` flows of identities that have a TOTP device. */
export const totpLogin: LoginStrategy = {
  // totp/login.go Strategy.Login: CheckAAL(aal2) passes other flows on, before the method check.
  responsible: ({ flow, method }) => method === "totp" && flow.requestedAal === "aal2",
  async populate(flow: LoginFlow, ctx: StrategyContext) {
    if (flow.requestedAal !== "aal2") return;
    const identity = await sessionIdentityWithCredentials(ctx);
    if (!identity || !totpSecretOf(identity)) return;
    flow.ui.append(loginCodeNode(), loginSubmitNode());
  },

  // totp/login.go Strategy.Login: CheckAAL, then the payload against login.schema.json (totp_code required), before EnsureCSRF.
  decode(flow, body) {
    if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    if (body.totp_code === undefined) throw FlowValidationError.field("totp_code", messages.required("totp_code"));
  },

  async submit(flow, body, ctx) {
    if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    const code = typeof body.totp_code === "string" ? body.totp_code.trim() : "";
    if (code === "") throw FlowValidationError.field("totp_code", messages.required("totp_code"));

    const identity = await sessionIdentityWithCredentials(ctx);
    const secret = identity ? totpSecretOf(identity) : undefined;
    if (!identity || !secret) throw FlowValidationError.flow(totpMessages.noDevice());
    if (!verifyTotp(code, secret)) throw FlowValidationError.flow(totpMessages.wrongCode());
    return { identity, method: { method: "totp", aal: "aal2", completed_at: timeNow().toISOString() } };
  },
};
