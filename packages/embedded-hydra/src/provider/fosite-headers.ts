import type { KoaContextWithOIDC } from "oidc-provider";
import type Provider from "oidc-provider";
import { fositeDescription, FOSITE_ERRORS } from "../fosite-errors";

/** fosite's JSON Content-Type, spelled as its writers spell it. */
export const FOSITE_JSON_TYPE = "application/json;charset=UTF-8";

/** The `error` of a JSON error body as oidc-provider (or a hook) wrote it, if any. */
function errorName(body: unknown): string | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
  return typeof value.error === "string" ? value.error : undefined;
}

/**
 * fosite's WriteRevocationResponse (revoke_handler.go): only
 * invalid_request and invalid_client are refusals, written as the bare
 * errors (json.Marshal of ErrInvalidRequest, with its built-in hint, and
 * of ErrInvalidClient, which has none);
 * any other refusal is a 200 without a body. A 5xx (the database away)
 * stays as it is.
 */
function asRevocationResponse(ctx: KoaContextWithOIDC): void {
  if (ctx.status < 400 || ctx.status >= 500) return;
  const name = errorName(ctx.body);
  if (name === "invalid_request" || name === "invalid_client") {
    ctx.status = FOSITE_ERRORS[name].status;
    ctx.body = JSON.stringify({ error: name, error_description: fositeDescription(name) });
    return;
  }
  ctx.status = 200;
  ctx.body = "";
}

/**
 * The headers fosite's writers put on the token and revocation answers that
 * oidc-provider writes here: `Cache-Control: no-store`, `Pragma: no-cache`
 * and, on a JSON body, `application/json;charset=UTF-8`
 * (access_write.go WriteAccessResponse, access_error.go writeJsonError,
 * revoke_handler.go WriteRevocationResponse, whose 200 has no body and no
 * Content-Type). Installed outermost, so it sees the final answer.
 */
export function installFositeHeaders(provider: Provider, paths: { token: string; revocation: string }): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== paths.token && ctx.path !== paths.revocation) return;
    if (ctx.path === paths.revocation) asRevocationResponse(ctx as KoaContextWithOIDC);
    ctx.set("Cache-Control", "no-store");
    ctx.set("Pragma", "no-cache");
    const body: unknown = ctx.body;
    if (body === null || body === undefined || body === "") {
      ctx.remove("Content-Type");
      return;
    }
    ctx.set("Content-Type", FOSITE_JSON_TYPE);
  });
}
