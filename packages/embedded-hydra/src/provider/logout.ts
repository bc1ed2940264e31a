import type { ErrorOut, KoaContextWithOIDC } from "oidc-provider";
import { withQuery, type HydraContext } from "../context";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The end of a logout (public/logout.ts) when no post-logout URL applies: `urls.post_logout_redirect`, else a page. */
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
