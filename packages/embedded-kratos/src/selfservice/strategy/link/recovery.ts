import { withRequestSignal } from "../../../courier/request-signal";
import { renderUnknownRecipientNotice } from "../../../courier/unknown-recipient-notice";
import { normalizeIdentifier } from "../../../identity/extensions";
import type { RenderedMessage } from "../../../courier/courier";
import { publicIdentityJson } from "../../../session/json";
import { messages } from "../../../ui/messages";
import type { Flow } from "../../flow/flow";
import { mailMessages } from "../mailed-secret/messages";
import { emailNode, methodSubmitNode } from "../mailed-secret/nodes";
import { refuseWhenSignedIn } from "../../flow/recovery/signed-in";
import { hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { FlowValidationError } from "../../flow/validation-error";
import type { AddressFlowResult, StrategyContext, AddressFlowStrategy } from "../strategy";
import { checkCsrf } from "../../flow/engine";
import { refuseIfOff } from "../disabled-endpoint";
import { linkBaseUrl, linkMethodConfig, linkStrategyEnabled } from "./config";
import { linkUrl, newLinkToken } from "./token";
import { hasText } from "../submission";
import { linkState, updateLinkState } from "./state";
import { now as timeNow } from "../../../clock/clock";
import { requireEmailFormat } from "../mailed-secret/email-format";
import { decodeSubmission } from "../../flow/transient-payload";
import { isRecoveryV2State } from "../../flow/recovery/state";
import { recoveryFlowOfBody, refusingOnHandlerFlow } from "../../flow/recovery/body-flow";
import type { JsonObject } from "../../../http/body";

/**
 * Recovery by magic link: the email form mails `<public>/self-service/recovery?flow=…&token=…`;
 * opening it signs the user in and sends the browser to the settings UI.
 */
export const linkRecovery: AddressFlowStrategy = {
  // Any link (`token`) is this strategy's, so an admin link works while `use` names code. Kratos asks it after
  // code, which takes only code flows, and its Recover answers a signed-in request before it looks at `method`.
  responsible: ({ method, body }, ctx) => method === "link" || hasText(body, "token") || ctx.session !== undefined,
  carriesMailedSecret: ({ body }) => hasText(body, "token"),
  // link/strategy_recovery.go decodeRecovery: the method schema (email format) before EnsureCSRF.
  decode: (_flow, body) => requireEmailFormat(body),
  // Recover decodes before it looks at `token` or `method`: a submission on a flow the code strategy does not
  // take (not one of its flows) that no strategy answers meets this schema first.
  screen: ({ flow, body }, ctx) => decodeSubmission("link", "recovery", { decode: (_f, b) => requireEmailFormat(b) }, flow, body, ctx),
  // Recover checks the session and MethodEnabledAndAllowed before the state, and EnsureCSRF only right before it
  // mails a link (recoveryHandleFormSubmission): `submit` makes both checks where it does.
  enabledCheck: "in-submit",
  checksCsrfInSubmit: true,
  // PopulateRecoveryMethod: the CSRF token first (every flow type), then the email and submit (never sorted).
  populate(flow) {
    flow.ui.setCsrf(flow.csrfToken);
    if (flow.state === "passed_challenge") return;
    const email = linkState(flow).recovery_email;
    flow.ui.append(emailNode("link", typeof email === "string" ? email : undefined), methodSubmitNode("link", "link"));
  },

  async submit(flow, body, ctx) {
    // Recover takes the token as sent (len(body.Token) > 0).
    const token = typeof body.token === "string" ? body.token : "";
    const enabled = linkStrategyEnabled(ctx.deps.config);
    if (token !== "") {
      refuseIfOff(enabled);
      return useToken(flow, token, ctx);
    }
    // link/strategy_recovery.go Recover: signed in is answered right after the token, before the method and the state.
    if (refuseWhenSignedIn(ctx)) return { kind: "responded" };
    refuseIfOff(enabled);
    // Then the flow the body names is the one acted on (flow/recovery/body-flow.ts); the handler answers with its own.
    const bodyFlow = await recoveryFlowOfBody(flow, body, ctx);
    if (bodyFlow.kind === "answer") return bodyFlow.result;
    if (bodyFlow.kind === "handler") return mailLink(flow, body, ctx);
    const acted = bodyFlow.flow;
    // A refusal is written onto the handler's flow as loaded (its WriteFlowError).
    return refusingOnHandlerFlow(flow, async () => {
      const result = await mailLink(acted, body, ctx);
      return result.kind === "flow" || result.kind === "retry" ? { ...result, acted } : result;
    });
  },
};

/** Recover's state switch and recoveryHandleFormSubmission, on the flow acted on. */
async function mailLink(flow: Flow, body: JsonObject, ctx: StrategyContext): Promise<AddressFlowResult> {
  // Recover's state switch knows only the v1 states: a flow started as recovery v2 (feature_flags.choose_recovery_address)
  // is retried with 4060002 as a new flow of its type, which starts in v2 again — link recovery cannot be used with the flag.
  if (isRecoveryV2State(flow.state))
    return { kind: "retry", message: mailMessages.recoveryStateFailure(), answer: "link", keepFlowType: true };
  // "was already handled, do not allow retry": retryRecoveryFlowWithMessage, a new flow of the old one's type.
  if (flow.state === "passed_challenge")
    return { kind: "retry", message: mailMessages.recoveryRetrySuccess(), answer: "link", keepFlowType: true };
  const email = typeof body.email === "string" ? body.email.trim() : "";
  if (email === "") throw FlowValidationError.field("email", messages.required("email"));
  // recoveryHandleFormSubmission: EnsureCSRF once the email is there, just before the link is mailed.
  checkCsrf(ctx.deps, ctx.http, flow, body);
  await sendRecoveryLink(flow, email, ctx);
  return { kind: "flow" };
}

async function sendRecoveryLink(flow: Flow, rawEmail: string, ctx: StrategyContext): Promise<void> {
  const { deps } = ctx;
  const email = normalizeIdentifier(rawEmail);
  const secrets = secretsFor(deps.db);
  const lifespan = linkMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findRecoveryAddress(email);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;
  // The message is rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const token = newLinkToken();
  let message: RenderedMessage | undefined;
  if (address && identity) {
    message = await withRequestSignal(ctx.http.req, (signal) =>
      deps.courier.renderEmail({
        templateType: "recovery_valid",
        recipient: address.value,
        model: {
          To: address.value,
          RecoveryURL: linkUrl(linkBaseUrl(deps.config), "recovery", flow.id, token),
          Identity: publicIdentityJson(deps, identity),
          RequestURL: flow.requestUrl,
          ExpiresInMinutes: Math.round(lifespan / 60_000),
        },
        signal,
      }),
    );
  } else if (deps.config.selfservice.flows.recovery.notify_unknown_recipients === true) {
    message = await withRequestSignal(ctx.http.req, (signal) =>
      renderUnknownRecipientNotice(deps.courier, {
        templateType: "recovery_invalid",
        recipient: email,
        requestUrl: flow.requestUrl,
        signal,
      }),
    );
  }
  await deps.db.transaction(async (tx) => {
    if (address && identity) {
      await secrets.createRecoveryToken(tx, {
        strategy: "link",
        hash: hashSecret(deps.config, token),
        identityId: identity.id,
        recoveryAddressId: address.id,
        flowId: flow.id,
        tokenType: "user",
        expiresAt: timeNow().add(lifespan),
      });
    }
    if (message) await deps.courier.enqueue(tx, message);
  });
  flow.state = "sent_email";
  flow.active = "link";
  updateLinkState(flow, { recovery_email: rawEmail });
  // recoveryHandleFormSubmission upserts its email input, and ui/node Nodes.Upsert matches the name alone: on a code
  // flow the code strategy handed on, the code group's email input becomes this group's.
  const emailInput = flow.ui.nodes.findIndex((n) => n.type === "input" && n.attributes.name === "email");
  if (emailInput >= 0) flow.ui.nodes[emailInput] = emailNode("link", rawEmail);
  else flow.ui.append(emailNode("link", rawEmail));
  flow.ui.clearMessages();
  flow.ui.addMessage(mailMessages.recoveryLinkSent());
}

async function useToken(flow: Flow, token: string, ctx: StrategyContext): Promise<AddressFlowResult> {
  const secrets = secretsFor(ctx.deps.db);
  const used = await secrets.useRecoveryToken(flow.id, "link", hashSecret(ctx.deps.config, token));
  if (!used) return { kind: "retry", message: mailMessages.recoveryTokenInvalid() };
  if (used.tokenType === "user" && used.recoveryAddressId) {
    const address = await secrets.getRecoveryAddress(used.recoveryAddressId);
    if (address) await secrets.markIdentityAddressVerified(used.identityId, address.value);
  }
  return { kind: "recovered", identityId: used.identityId, method: "link_recovery" };
}
