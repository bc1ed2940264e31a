import { normalizeIdentifier } from "../../../identity/extensions";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import type { Flow } from "../../flow/flow";
import { recoveryFlow } from "../../flow/recovery/definition";
import { codeMessages } from "../code/messages";
import { emailNode, methodSubmitNode } from "../code/nodes";
import { completeRecovery, refuseWhenSignedIn } from "../code/recovery-session";
import { hashSecret } from "../code/secrets";
import { secretsFor } from "../code/tokens";
import { FlowValidationError, type FlowStrategy, type FlowUpdatedResult, type StrategyContext } from "../strategy";
import { linkBaseUrl, linkMethodConfig } from "./config";
import { retryWithMessage } from "./retry";
import { linkUrl, newLinkToken } from "./token";

const RECOVERY_EMAIL = "link_recovery_email";

/**
 * Recovery by magic link: the email form mails `<public>/self-service/recovery?flow=…&token=…`;
 * opening it signs the user in and sends the browser to the settings UI.
 */
export const linkRecovery: FlowStrategy<FlowUpdatedResult> = {
  populate(flow) {
    if (flow.state === "passed_challenge") return;
    const email = flow.internal[RECOVERY_EMAIL];
    flow.ui.append(emailNode("link", typeof email === "string" ? email : undefined), methodSubmitNode("link", "link"));
  },

  async submit(flow, body, ctx) {
    const token = typeof body.token === "string" ? body.token.trim() : "";
    if (token !== "") return useToken(flow, token, ctx);
    if (ctx.http.method === "GET") return { kind: "flow" };
    if (flow.state === "passed_challenge") throw FlowValidationError.flow(codeMessages.recoveryRetrySuccess());
    const email = typeof body.email === "string" ? body.email.trim() : "";
    if (refuseWhenSignedIn(ctx)) return { kind: "responded" };
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    await sendRecoveryLink(flow, email, ctx);
    return { kind: "flow" };
  },
};

async function sendRecoveryLink(flow: Flow, rawEmail: string, ctx: StrategyContext): Promise<void> {
  const { deps } = ctx;
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = linkMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findRecoveryAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  await deps.db.transaction(async (tx) => {
    if (address && identity) {
      const token = newLinkToken();
      await secrets.createRecoveryToken(tx, {
        strategy: "link",
        hash: hashSecret(deps.config, token),
        identityId: identity.id,
        recoveryAddressId: address.id,
        flowId: flow.id,
        tokenType: "user",
        expiresAt: new Date(Date.now() + lifespan),
      });
      await deps.courier.queueEmail(tx, {
        templateType: "recovery_valid",
        recipient: address.value,
        model: {
          To: address.value,
          RecoveryURL: linkUrl(linkBaseUrl(deps.config), "recovery", flow.id, token),
          Identity: publicIdentityJson(deps, identity),
          RequestURL: flow.requestUrl,
          ExpiresInMinutes: Math.round(lifespan / 60_000),
        },
      });
    } else if (deps.config.selfservice.flows.recovery.notify_unknown_recipients === true) {
      await deps.courier.queueEmail(tx, { templateType: "recovery_invalid", recipient: email, model: { To: email, RequestURL: flow.requestUrl } });
    }
  });
  flow.state = "sent_email";
  flow.active = "link";
  flow.internal[RECOVERY_EMAIL] = rawEmail;
  flow.ui.setValue("email", rawEmail);
  flow.ui.clearMessages();
  flow.ui.addMessage(codeMessages.recoveryLinkSent());
}

async function useToken(flow: Flow, token: string, ctx: StrategyContext): Promise<FlowUpdatedResult> {
  const secrets = secretsFor(ctx.deps.db);
  const used = await secrets.useRecoveryToken(flow.id, "link", hashSecret(ctx.deps.config, token));
  if (!used) return retryWithMessage(recoveryFlow, codeMessages.recoveryTokenInvalid(), ctx);
  if (used.tokenType === "user" && used.recoveryAddressId) {
    const address = await secrets.getRecoveryAddress(used.recoveryAddressId);
    if (address) await secrets.markIdentityAddressVerified(used.identityId, address.value);
  }
  return completeRecovery(flow, used.identityId, "link_recovery", ctx);
}
