import { Stream } from "node:stream";
import type Provider from "oidc-provider";
import { goJsonEncode, goJsonMarshal } from "@olympus/server-kit/go-json";

/**
 * oidc-provider's JSON answers as Hydra writes the same answers: Koa writes
 * an object body with JSON.stringify, Go with encoding/json, which escapes
 * `<`, `>`, `&`, U+2028 and U+2029 inside strings (encode.go appendString).
 * The token and revocation endpoints answer through fosite, which writes
 * json.Marshal's bytes (access_write.go WriteAccessResponse, access_error.go
 * writeJsonError, revoke_handler.go WriteRevocationResponse): no trailing
 * newline. Everything else (userinfo) is Hydra's herodot JSONWriter (json.go
 * WriteCode / WriteErrorCode: json.NewEncoder(...).Encode), which ends the
 * value with "\n".
 */
export function installGoJsonBodies(provider: Provider, fositePaths: ReadonlySet<string>): void {
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (body === null || typeof body !== "object" || Buffer.isBuffer(body) || body instanceof Stream) return;
    // Koa typed the response as JSON when the object was set; a string body keeps that Content-Type.
    ctx.body = fositePaths.has(ctx.path) ? goJsonMarshal(body) : goJsonEncode(body);
  });
}
