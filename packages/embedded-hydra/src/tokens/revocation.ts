import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type Provider from "oidc-provider";
import { looksLikeJws } from "./jws";
import { accessTokenId } from "./jwt-access-tokens";

/** oidc-provider's own body limit for form posts. */
const LIMIT = 56 * 1024;

async function readAll(stream: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request stream with the same head and another body, for oidc-provider to read as usual. */
function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), {
    headers: { ...req.headers, "content-length": String(body.length) },
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
    aborted: false,
  }) as unknown as IncomingMessage;
}

/**
 * Hydra revokes JWT access tokens like any other (fosite's
 * TokenRevocationHandler looks the token's session up by its signature);
 * oidc-provider refuses structured tokens at its revocation endpoint. A
 * JWT posted there is replaced by the id its row is stored under
 * (tokens/jwt-access-tokens.ts) before oidc-provider reads the form; client
 * authentication and the revocation itself stay oidc-provider's.
 */
export function installJwtRevocation(provider: Provider, path: string): void {
  provider.use(async (ctx, next) => {
    if (ctx.method !== "POST" || ctx.path !== path || !ctx.is("application/x-www-form-urlencoded")) {
      await next();
      return;
    }
    const raw = await readAll(ctx.req);
    if (raw === undefined) {
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: "failed to parse the request body" };
      return;
    }
    const form = new URLSearchParams(raw.toString("utf8"));
    const token = form.get("token");
    if (token && looksLikeJws(token)) form.set("token", accessTokenId(token));
    const replaced = withBody(ctx.req, token && looksLikeJws(token) ? Buffer.from(form.toString(), "utf8") : raw);
    ctx.req = replaced;
    ctx.request.req = replaced;
    await next();
  });
}
