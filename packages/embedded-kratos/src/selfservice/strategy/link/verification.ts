import type { IncomingMessage } from "node:http";
import { withRequestSignal } from "../../../courier/request-signal";
import { renderUnknownRecipientNotice } from "../../../courier/unknown-recipient-notice";
import { normalizeIdentifier } from "../../../identity/extensions";
import type { Deps } from "../../../deps";
import { publicIdentityJson } from "../../../session/json";
import type { RenderedMessage } from "../../../courier/courier";
import { messages } from "../../../ui/messages";
import type { Flow } from "../../flow/flow";
import { mailMessages } from "../mailed-secret/messages";
import { emailNode, methodSubmitNode } from "../mailed-secret/nodes";
import { hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { answerLinkClick, markVerified, renderPassed, runPostVerificationHooks, verificationReturnTo } from "../mailed-secret/verification";
import { FlowValidationError } from "../../flow/validation-error";
import type { AddressFlowStrategy } from "../strategy";
import { linkBaseUrl, linkMethodConfig } from "./config";
import { linkUrl, newLinkToken } from "./token";
import { hasText } from "../submission";
import { linkState, updateLinkState } from "./state";
import { now as timeNow } from "../../../clock/clock";
import { requireEmailFormat } from "../mailed-secret/email-format";
import { checkCsrf } from "../../flow/engine";

/** Verification by magic link: opening `<public>/self-service/verification?flow=…&token=…` verifies the address. */
export const linkVerification: AddressFlowStrategy = {
  // `method=link` on any flow, a code one too (link/strategy_verification.go Verify checks only the method, not the
  // flow's strategy), and a link's token on a flow made for links. Without either, Verify's MethodEnabledAndAllowed
  // finds "" is not "link": not responsible, so the handler answers "no strategy" (4010006).
  responsible: ({ flow, method, body }, ctx) =>
    method === "link" || ((flow.active ?? ctx.deps.config.selfservice.flows.verification.use) === "link" && hasText(body, "token")),
  carriesMailedSecret: ({ body }) => hasText(body, "token"),
  // verificationHandleFormSubmission: EnsureCSRF after the state and the required email, just before the mail.
  checksCsrfInSubmit: true,
  // link/strategy_verification.go decodeVerification: the method schema (email format) before EnsureCSRF.
  decode: (_flow, body) => requireEmailFormat(body),
  // Verify: MethodEnabledAndAllowed comes after decodeVerification.
  enabledCheck: "after-decode",
  populate(flow, ctx) {
    if (flow.state === "passed_challenge") {
      renderPassed(flow, verificationReturnTo(ctx.deps, flow), "link");
      return;
    }
    // PopulateVerificationMethod: the CSRF token first (every flow type), then the email and submit (never sorted).
    flow.ui.setCsrf(flow.csrfToken);
    const email = linkState(flow).verification_email;
    flow.ui.append(emailNode("link", typeof email === "string" ? email : undefined), methodSubmitNode("link", "link"));
  },

  async submit(flow, body, ctx) {
    const { deps } = ctx;
    // Verify takes the token as sent (len(body.Token) > 0): " " is a token to check, never a way to the email path.
    const token = typeof body.token === "string" ? body.token : "";
    if (token !== "") {
      // link.Strategy.verificationUseToken: an unknown or used token, or an expired one (token.Valid), starts a new browser flow.
      const used = await secretsFor(deps.db).useVerificationToken(flow.id, "link", hashSecret(deps.config, token));
      if (used.status === "expired") return { kind: "retry", message: messages.verificationFlowExpired(used.expiresAt) };
      if (used.status !== "ok") return { kind: "retry", message: mailMessages.verificationTokenInvalid() };
      const identityId = await secretsFor(deps.db).markAddressVerified(used.token.verifiableAddressId);
      markVerified(flow, verificationReturnTo(deps, flow), "link");
      const refused = await runPostVerificationHooks(flow, identityId, ctx, {});
      return refused ?? answerLinkClick(flow, "link", ctx);
    }
    // Verify: a passed flow is started over (retryVerificationFlowWithMessage, a new flow of the old one's type).
    if (flow.state === "passed_challenge")
      return { kind: "retry", message: mailMessages.verificationRetrySuccess(), answer: "link", keepFlowType: true };
    const email = typeof body.email === "string" ? body.email.trim() : "";
    if (email === "") throw FlowValidationError.field("email", messages.required("email"));
    checkCsrf(deps, ctx.http, flow, body);
    await sendVerificationLink(deps, ctx.http.req, flow, email);
    return { kind: "flow" };
  },

  async initiate(flow, target, ctx) {
    await sendVerificationLink(ctx.deps, ctx.http.req, flow, target.address);
  },
};

async function sendVerificationLink(deps: Deps, req: IncomingMessage, flow: Flow, rawEmail: string): Promise<void> {
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = linkMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findVerifiableAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  // The message is rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const token = newLinkToken();
  let message: RenderedMessage | undefined;
  if (address && identity) {
    message = await withRequestSignal(req, (signal) =>
      deps.courier.renderEmail({
        templateType: "verification_valid",
        recipient: address.value,
        model: {
          To: address.value,
          VerificationURL: linkUrl(linkBaseUrl(deps.config), "verification", flow.id, token),
          Identity: publicIdentityJson(deps, identity),
          RequestURL: flow.requestUrl,
          ExpiresInMinutes: Math.round(lifespan / 60_000),
        },
        signal,
      }),
    );
  } else if (deps.config.selfservice.flows.verification.notify_unknown_recipients === true) {
    message = await withRequestSignal(req, (signal) =>
      renderUnknownRecipientNotice(deps.courier, {
        templateType: "verification_invalid",
        recipient: email,
        requestUrl: flow.requestUrl,
        signal,
      }),
    );
  }
  await deps.db.transaction(async (tx) => {
    if (address && identity) {
      await secrets.createVerificationToken(tx, {
        strategy: "link",
        hash: hashSecret(deps.config, token),
        verifiableAddressId: address.id,
        flowId: flow.id,
        expiresAt: timeNow().add(lifespan),
      });
    }
    if (message) await deps.courier.enqueue(tx, message);
    if (address && identity) await secrets.markAddressSent(tx, address.id);
  });
  flow.state = "sent_email";
  flow.active = "link";
  updateLinkState(flow, { verification_email: rawEmail });
  flow.ui.setValue("email", rawEmail);
  flow.ui.clearMessages();
  flow.ui.addMessage(mailMessages.verificationLinkSent());
}
