import type { ErrorOut, KoaContextWithOIDC } from "oidc-provider";
import { clientToJson } from "../clients/model";
import { withQuery, type HydraContext } from "../context";

/** Key under which the logout request keeps oidc-provider's confirmation secret (never shown). */
export const LOGOUT_XSRF_KEY = "_xsrf";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * oidc-provider's logout confirmation page becomes a Hydra logout request:
 * the browser goes to the logout UI with a challenge, and the UI's accept
 * leads back to /oauth2/sessions/logout?logout_verifier=… (public/hydra-paths.ts).
 */
export function createLogoutSource(hctx: HydraContext) {
  return async (ctx: KoaContextWithOIDC, form: string): Promise<void> => {
    const logoutUrl = hctx.config.urls.logout;
    if (!logoutUrl) {
      // No logout UI configured: confirm straight away, as Hydra's fallback does.
      ctx.type = "html";
      ctx.body = `<!DOCTYPE html><html><body>${form.replace("</form>", '<input type="hidden" name="logout" value="yes"/></form>')}<script>document.forms[0].submit()</script></body></html>`;
      return;
    }
    const session = ctx.oidc.session;
    const state = (session?.state ?? {}) as { secret?: string; clientId?: string };
    const client = state.clientId ? await hctx.clients.get(state.clientId) : undefined;
    const challenge = await hctx.flows.create({
      kind: "logout",
      ...(session?.accountId ? { subject: session.accountId } : {}),
      ...(state.clientId ? { clientId: state.clientId } : {}),
      request: {
        subject: session?.accountId ?? "",
        sid: session?.uid ?? "",
        request_url: `${hctx.publicUrl}oauth2/sessions/logout${ctx.querystring ? `?${ctx.querystring}` : ""}`,
        rp_initiated: Boolean(client),
        ...(client ? { client: clientToJson(client) } : {}),
        [LOGOUT_XSRF_KEY]: state.secret ?? "",
      },
      ttlSeconds: hctx.config.ttl.login_consent_request,
    });
    ctx.status = 302;
    ctx.redirect(withQuery(logoutUrl, { logout_challenge: challenge }));
  };
}

export function createPostLogoutSuccessSource(hctx: HydraContext) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const target = hctx.config.urls.post_logout_redirect;
    if (target) {
      ctx.status = 302;
      ctx.redirect(target);
      return;
    }
    ctx.type = "html";
    ctx.body = "<!DOCTYPE html><html><body><p>You have been signed out.</p></body></html>";
  };
}

/**
 * Errors that cannot be sent back to the client (unknown client, mismatched
 * redirect_uri, …) go to Hydra's error UI, like Hydra's `urls.error`.
 */
export function createRenderError(hctx: HydraContext) {
  return async (ctx: KoaContextWithOIDC, out: ErrorOut): Promise<void> => {
    const target = hctx.config.urls.error;
    if (target) {
      ctx.status = 302;
      ctx.redirect(withQuery(target, { error: out.error, error_description: out.error_description }));
      return;
    }
    ctx.type = "html";
    ctx.body = `<!DOCTYPE html><html><body><h1>${escapeHtml(out.error)}</h1><p>${escapeHtml(out.error_description ?? "")}</p></body></html>`;
  };
}
