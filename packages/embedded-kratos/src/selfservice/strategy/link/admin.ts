import type { Deps } from "../../../deps";
import { errors } from "../../../http/errors";
import type { Router } from "../../../http/router";
import { isUuid } from "../../../identity/repository";
import { newAdminRecoveryFlow, parseAdminRecoveryBody } from "../code/admin";
import { hashSecret } from "../code/secrets";
import { secretsFor } from "../code/tokens";
import { linkBaseUrl, linkMethodConfig } from "./config";
import { linkUrl, newLinkToken } from "./token";

/**
 * POST /admin/recovery/link → 200 {recovery_link, expires_at}. As in
 * Kratos' link strategy, an unknown identity is a 400 ("The requested
 * identity id does not exist."), unlike the code endpoint's 404.
 */
export function registerAdminRecoveryLinkRoute(admin: Router, deps: Deps): void {
  admin.post("/admin/recovery/link", async (ctx) => {
    if (!deps.config.selfservice.flows.recovery.enabled) throw errors.flowDisabled("recovery");
    const input = await parseAdminRecoveryBody(ctx, linkMethodConfig(deps.config).config.lifespan);
    const identity = isUuid(input.identity_id) ? await deps.identityRepository.get(input.identity_id) : undefined;
    if (!identity) throw errors.badRequest("The requested identity id does not exist.");

    const flow = await newAdminRecoveryFlow(deps, ctx, "browser", input.expiresInMs, "choose_method");
    const token = newLinkToken();
    await deps.flows.save(flow);
    await secretsFor(deps.db).createRecoveryToken(deps.db, {
      strategy: "link",
      hash: hashSecret(deps.config, token),
      identityId: identity.id,
      flowId: flow.id,
      tokenType: "admin",
      expiresAt: flow.expiresAt,
    });
    ctx.json(200, { recovery_link: linkUrl(linkBaseUrl(deps.config), "recovery", flow.id, token), expires_at: flow.expiresAt.toISOString() });
  });
}
