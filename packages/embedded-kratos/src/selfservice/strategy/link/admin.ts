import type { Deps } from "../../../deps";
import { errors } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { isUuid } from "../../../identity/repository";
import { newAdminRecoveryFlow, parseAdminRecoveryBody, storeAdminRecoveryFlow } from "../mailed-secret/admin-recovery";
import { linkRecovery } from "./recovery";
import { linkMethodConfig, linkStrategyEnabled } from "./config";
import { unlessDisabled } from "../disabled-endpoint";
import { linkUrl, newLinkToken } from "./token";
import { goTimeString } from "../../../clock/go-time";

/**
 * POST /admin/recovery/link (link.Strategy.createRecoveryLinkForIdentity)
 * → 200 {recovery_link, expires_at}: a browser recovery flow of the link
 * strategy and an admin token for the identity; an unknown identity is a
 * 400 ("The requested identity id does not exist."), unlike the code
 * endpoint's 404. Opening the link signs the person in and sends the browser
 * to the settings UI, whichever strategy `recovery.use` names.
 */
export const ADMIN_RECOVERY_LINK_ROUTE = "/admin/recovery/link";

export function registerAdminRecoveryLinkRoute(admin: Router, deps: Deps): void {
  admin.post(
    ADMIN_RECOVERY_LINK_ROUTE,
    unlessDisabled(deps.config, linkStrategyEnabled, async (ctx) => {
      const input = await parseAdminRecoveryBody(ctx, linkMethodConfig(deps.config).config.lifespan, "link");
      const flow = await newAdminRecoveryFlow(deps, ctx, "browser", input.expiresInMs, {
        id: "link",
        populate: (f, c) => linkRecovery.populate(f, c),
      });
      const identity = isUuid(input.identityId) ? await deps.identityRepository.get(input.identityId) : undefined;
      if (!identity) throw errors.badRequest("The requested identity id does not exist.");

      const token = newLinkToken();
      await storeAdminRecoveryFlow(deps, flow, identity.id, token);
      // The public URL, not `methods.link.config.base_url` (which only mailed links use).
      // herodot.UnescapedHTML (strategy_recovery.go createRecoveryLinkForIdentity): the link's `&` stays as is.
      ctx.json(
        200,
        { recovery_link: linkUrl(deps.config.publicBaseUrl, "recovery", flow.id, token), expires_at: goTimeString(flow.expiresAt) },
        {},
        { escapeHtml: false },
      );
    }),
  );
}
