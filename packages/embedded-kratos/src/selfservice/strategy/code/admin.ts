import type { Deps } from "../../../deps";
import { KratosError } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { isUuid } from "../../../identity/repository";
import { urlWithFlow } from "../../flow/flow";
import { newAdminRecoveryFlow, parseAdminRecoveryBody, storeAdminRecoveryFlow } from "../mailed-secret/admin-recovery";
import { codeRecovery } from "./recovery";
import { inputNode } from "../../../ui/node";
import { mailMessages } from "../mailed-secret/messages";
import { methodSubmitNode } from "../mailed-secret/nodes";
import { codeMethodConfig, codeStrategyEnabled } from "./config";
import { unlessDisabled } from "../disabled-endpoint";
import { CODE_LENGTH, generateCode } from "../mailed-secret/secrets";
import { goTimeString } from "../../../clock/go-time";

/**
 * POST /admin/recovery/code (code.Strategy.createRecoveryCodeForIdentity) →
 * 201 {recovery_link, recovery_code, expires_at}: a flow already in
 * `sent_email` whose only nodes are the code input and the submit button,
 * and an admin code for the identity (404 "could not find identity").
 */
export const ADMIN_RECOVERY_CODE_ROUTE = "/admin/recovery/code";

export function registerAdminRecoveryCodeRoute(admin: Router, deps: Deps): void {
  admin.post(
    ADMIN_RECOVERY_CODE_ROUTE,
    unlessDisabled(deps.config, codeStrategyEnabled, async (ctx) => {
      const input = await parseAdminRecoveryBody(ctx, codeMethodConfig(deps.config).config.lifespan, "code");
      const flow = await newAdminRecoveryFlow(deps, ctx, input.flowType, input.expiresInMs, {
        id: "code",
        populate: (f, c) => codeRecovery.populate(f, c),
      });
      const identity = isUuid(input.identityId) ? await deps.identityRepository.get(input.identityId) : undefined;
      if (!identity) throw new KratosError(404, { message: "Unable to locate the resource", reason: "could not find identity" });

      flow.state = "sent_email";
      flow.ui.nodes = [
        inputNode("code", "code", "text", {
          required: true,
          pattern: "[0-9]+",
          maxlength: CODE_LENGTH,
          label: mailMessages.labelRecoveryCode(),
        }),
        methodSubmitNode("code", "code"),
      ];
      const code = generateCode();
      await storeAdminRecoveryFlow(deps, flow, identity.id, code);
      const uiUrl = deps.config.selfservice.flows.recovery.ui_url;
      // herodot.UnescapedHTML (strategy_recovery_admin.go createRecoveryCodeForIdentity): the link's `&` stays as is.
      ctx.json(
        201,
        {
          recovery_link: uiUrl ? urlWithFlow(uiUrl, flow.id) : `${deps.config.publicBaseUrl}self-service/recovery/flows?id=${flow.id}`,
          recovery_code: code,
          expires_at: goTimeString(flow.expiresAt),
        },
        {},
        { escapeHtml: false },
      );
    }),
  );
}
