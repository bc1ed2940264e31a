import { normalizeIdentifier } from "../../../identity/extensions";
import type { Deps } from "../../../deps";
import { publicIdentityJson } from "../../../session/json";
import type { Queryable } from "../../../storage/database";
import { messages } from "../../../ui/messages";
import type { Flow } from "../../flow/flow";
import { verificationFlow } from "../../flow/verification/definition";
import { codeMessages } from "../code/messages";
import { emailNode, methodSubmitNode } from "../code/nodes";
import { hashSecret } from "../code/secrets";
import { secretsFor } from "../code/tokens";
import { answerLinkClick, markVerified, renderPassed, verificationReturnTo } from "../code/verification";
import { FlowValidationError, type FlowStrategy, type FlowUpdatedResult } from "../strategy";
import { linkBaseUrl, linkMethodConfig } from "./config";
import { retryWithMessage } from "./retry";
import { linkUrl, newLinkToken } from "./token";

const VERIFICATION_EMAIL = "link_verification_email";

/** Verification by magic link: opening `<public>/self-service/verification?flow=…&token=…` verifies the address. */
export const linkVerification: FlowStrategy<FlowUpdatedResult> = {
  populate(flow, ctx) {
    if (flow.state === "passed_challenge") {
      renderPassed(flow, verificationReturnTo(ctx.deps, flow), "link");
      return;
    }
    const email = flow.internal[VERIFICATION_EMAIL];
    flow.ui.append(emailNode("link", typeof email === "string" ? email : undefined), methodSubmitNode("link", "link"));
  },

  async submit(flow, body, ctx) {
    const { deps } = ctx;
    const token = typeof body.token === "string" ? body.token.trim() : "";
    if (token !== "") {
      const used = await secretsFor(deps.db).useVerificationToken(flow.id, "link", hashSecret(deps.config, token));
      if (!used) return retryWithMessage(verificationFlow, codeMessages.verificationTokenInvalid(), ctx);
      await secretsFor(deps.db).markAddressVerified(used.verifiableAddressId);
      markVerified(flow, verificationReturnTo(deps, flow), "link");
      return answerLinkClick(flow, "link", ctx);
    }
    if (ctx.http.method === "GET") return { kind: "flow" };
    if (flow.state === "passed_challenge") throw FlowValidationError.flow(codeMessages.verificationRetrySuccess());
    const email = typeof body.email === "string" ? body.email.trim() : "";
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    await deps.db.transaction((tx) => sendVerificationLink(tx, deps, flow, email));
    return { kind: "flow" };
  },

  async initiate(flow, target, ctx) {
    await ctx.deps.db.transaction((tx) => sendVerificationLink(tx, ctx.deps, flow, target.address));
  },
};

async function sendVerificationLink(tx: Queryable, deps: Deps, flow: Flow, rawEmail: string): Promise<void> {
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = linkMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findVerifiableAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  if (address && identity) {
    const token = newLinkToken();
    await secrets.createVerificationToken(tx, {
      strategy: "link",
      hash: hashSecret(deps.config, token),
      verifiableAddressId: address.id,
      flowId: flow.id,
      expiresAt: new Date(Date.now() + lifespan),
    });
    await deps.courier.queueEmail(tx, {
      templateType: "verification_valid",
      recipient: address.value,
      model: {
        To: address.value,
        VerificationURL: linkUrl(linkBaseUrl(deps.config), "verification", flow.id, token),
        Identity: publicIdentityJson(deps, identity),
        RequestURL: flow.requestUrl,
        ExpiresInMinutes: Math.round(lifespan / 60_000),
      },
    });
    await secrets.markAddressSent(tx, address.id);
  } else if (deps.config.selfservice.flows.verification.notify_unknown_recipients === true) {
    await deps.courier.queueEmail(tx, { templateType: "verification_invalid", recipient: email, model: { To: email, RequestURL: flow.requestUrl } });
  }
  flow.state = "sent_email";
  flow.active = "link";
  flow.internal[VERIFICATION_EMAIL] = rawEmail;
  flow.ui.setValue("email", rawEmail);
  flow.ui.clearMessages();
  flow.ui.addMessage(codeMessages.verificationLinkSent());
}
