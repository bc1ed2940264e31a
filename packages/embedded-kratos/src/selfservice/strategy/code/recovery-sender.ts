import { withRequestSignal } from "../../../courier/request-signal";
import { renderUnknownRecipientNotice } from "../../../courier/unknown-recipient-notice";
import { goToLower, goTrimSpace } from "@olympus/server-kit/text";
import type { RenderedMessage } from "../../../courier/courier";
import { publicIdentityJson } from "../../../session/json";
import { allowedRequestHeaders } from "../../../request/allowed-headers";
import { now as timeNow } from "../../../clock/clock";
import type { Flow } from "../../flow/flow";
import type { StrategyContext } from "../strategy";
import { generateCode, hashSecret } from "../mailed-secret/secrets";
import { secretsFor } from "../mailed-secret/tokens";
import { codeMethodConfig } from "./config";

/**
 * code_sender.go SendRecoveryCode: the flow's earlier codes are dropped
 * (DeleteRecoveryCodesOfFlow) and a new code goes to the recovery address
 * with this value on this channel (FindRecoveryAddressByValue, the value
 * lower-cased and trimmed) — by email, or by SMS for an `sms` address
 * (SendRecoveryCodeTo). An unknown address gets nothing, or with
 * `notify_unknown_recipients` the recovery_code_invalid email, but only on
 * the email channel (SMS cost money). The answer never tells which it was.
 */
export async function sendRecoveryCodeTo(
  flow: Flow,
  via: "email" | "sms",
  to: string,
  ctx: StrategyContext,
  unknownRecipient: string = to,
): Promise<void> {
  const { deps } = ctx;
  const secrets = secretsFor(deps.db);
  const lifespan = codeMethodConfig(deps.config).config.lifespan;
  const address = await secrets.findRecoveryAddress(goToLower(goTrimSpace(to)), via);
  const identity = address ? await deps.identityRepository.get(address.identityId) : undefined;

  // The message is rendered before the transaction opens: a template fetched over http(s) holds no pooled connection.
  const code = generateCode();
  let message: RenderedMessage | undefined;
  if (address && identity) {
    const model = {
      To: address.value,
      RecoveryCode: code,
      Identity: publicIdentityJson(deps, identity),
      RequestURL: flow.requestUrl,
      // int(lifespan.Minutes()): Go truncates.
      ExpiresInMinutes: Math.trunc(lifespan / 60_000),
    };
    const requestHeaders = allowedRequestHeaders(deps.config, ctx.http.req.headersDistinct);
    if (address.via === "sms") {
      // sms.RecoveryCodeValidModel also carries the request URL's host (url.URL.Hostname: no port, no IPv6 brackets).
      const RequestURLDomain = new URL(flow.requestUrl).hostname.replace(/^\[(.*)\]$/, "$1");
      message = await withRequestSignal(ctx.http.req, (signal) =>
        deps.courier.renderSms({
          templateType: "recovery_code_valid",
          recipient: address.value,
          model: { ...model, RequestURLDomain },
          requestHeaders,
          signal,
        }),
      );
    } else {
      message = await withRequestSignal(ctx.http.req, (signal) =>
        deps.courier.renderEmail({ templateType: "recovery_code_valid", recipient: address.value, model, requestHeaders, signal }),
      );
    }
  } else if (via === "email" && deps.config.selfservice.flows.recovery.notify_unknown_recipients === true) {
    message = await withRequestSignal(ctx.http.req, (signal) =>
      renderUnknownRecipientNotice(deps.courier, {
        templateType: "recovery_code_invalid",
        recipient: unknownRecipient,
        requestUrl: flow.requestUrl,
        signal,
      }),
    );
  }

  await deps.db.transaction(async (tx) => {
    await secrets.deleteRecoveryTokensOfFlow(tx, flow.id, "code");
    if (address && identity) {
      await secrets.createRecoveryToken(tx, {
        strategy: "code",
        hash: hashSecret(deps.config, code),
        identityId: identity.id,
        recoveryAddressId: address.id,
        flowId: flow.id,
        tokenType: "user",
        expiresAt: timeNow().add(lifespan),
      });
    }
    if (message) await deps.courier.enqueue(tx, message);
  });
}
