import { timingSafeEqual } from "node:crypto";
import { requestTargetOf } from "@olympus/server-kit/http";
import {
  goMultipartForm,
  goMultipartFormValues,
  goParseForm,
  goReadsFormBody,
  goUrlParse,
  goValuesGet,
  type GoValues,
} from "@olympus/server-kit/go-url";
import type { Deps } from "../deps";
import { csrfErrorReason } from "../selfservice/flow/csrf-error";
import { readRawBody } from "./body";
import { cookieValues } from "./cookies";
import type { HttpContext } from "./context";
import type { KratosMuxPath } from "./mux-path";

/** cmd/daemon/serve.go servePublic: csrf.DisablePath for healthx's and prometheusx's paths. */
const DISABLED_PATHS = new Set(["/health/alive", "/health/ready", "/version", "/metrics/prometheus"]);

/**
 * The paths the public routes' handlers tell nosurf to ignore
 * (CSRFHandler().IgnorePath): the self-service flows' API init and submit
 * routes (selfservice/flow/<flow>/handler.go), logout's API route,
 * session/handler.go's whoami and collection, the admin recovery routes
 * strategy/code and strategy/link send on to the admin port.
 */
const IGNORED_PATHS = new Set([
  ...["login", "registration", "settings", "recovery", "verification"].flatMap((flow) => [
    `/self-service/${flow}/api`,
    `/self-service/${flow}`,
  ]),
  "/self-service/logout/api",
  "/recovery/code",
  "/recovery/link",
  "/sessions/whoami",
  "/sessions",
]);

/**
 * CSRFHandler().IgnoreGlob(s) (path.Match patterns): identity/handler.go,
 * schema/handler.go, courier/handler.go, session/handler.go and
 * strategy/oidc/strategy.go RegisterPublicRoutes.
 */
const IGNORED_GLOBS = [
  "/identities",
  "/identities/*",
  "/identities/*/credentials/*",
  "/admin/identities",
  "/admin/identities/*",
  "/admin/identities/*/credentials/*",
  "/schemas/*",
  "/admin/schemas/*",
  "/admin/courier/messages",
  "/courier/messages",
  "/sessions/*",
  "/sessions/*/extend",
  "/identities/*/sessions",
  "/self-service/methods/oidc/callback/*",
].map(globToRegExp);

/** path.Match with `*` only (what the globs above use): any run of bytes but `/`. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
const TOKEN_BYTES = 32;

/** IsIgnored: whether nosurf leaves the anti-CSRF cookie and the token check out for this r.URL.Path. */
export const nosurfIgnores = (path: string): boolean => IGNORED_PATHS.has(path) || IGNORED_GLOBS.some((glob) => glob.test(path));

/**
 * ory/nosurf v1.2.7's CSRFHandler.ServeHTTP, which servePublic
 * (cmd/daemon/serve.go) wraps around the whole public router with x/nosurfx
 * NewCSRFHandler: it runs before every public answer, a route's or
 * ServeMux's own (404, 405, the redirect to the clean path), matched on
 * r.URL.Path. Unless the path is disabled it adds `Vary: Cookie` and, when
 * the request holds not exactly one anti-CSRF cookie of the right length
 * and the path is not ignored, sets a new one (RegenerateToken; a route
 * that regenerates again in the same request gets the same token,
 * ctxWasSent). An unsafe method on a path neither ignored nor disabled must
 * then carry the cookie's token (X-CSRF-Token, else the form body's
 * csrf_token, urlencoded or multipart), else nosurfx.CSRFFailureHandler
 * answers with the 403 CSRFErrorReason picks. Returns whether it answered.
 */
export async function nosurfRefused(deps: Deps, ctx: HttpContext, mux: KratosMuxPath): Promise<boolean> {
  const path = mux.decoded;
  if (DISABLED_PATHS.has(path)) return false;
  ctx.res.appendHeader("Vary", "Cookie");
  const ignored = nosurfIgnores(path);
  const tokens = cookieValues(ctx.header("cookie"), deps.csrf.cookieName).map((value) => Buffer.from(value, "base64"));
  const first = tokens[0];
  if (tokens.length !== 1 || first?.length !== TOKEN_BYTES) {
    if (!ignored) deps.csrf.regenerate(ctx);
  }
  if (ignored || SAFE_METHODS.has(ctx.method)) return false;
  const target = await sentToken(ctx, mux);
  // r.URL.Scheme is only set for an absolute-form target: then the Referer must share its origin.
  const secureTargetRefused = refusedAsSecureTarget(ctx);
  const real = tokens.length > 1 ? (tokens.find((token) => verifyToken(token, target.token)) ?? first) : first;
  if (!secureTargetRefused && verifyToken(real, target.token)) return false;
  ctx.error(csrfErrorReason(deps, ctx, target.formToken));
  return true;
}

/**
 * extractToken: X-CSRF-Token, else r.PostFormValue, which runs
 * ParseMultipartForm(32 MB): ParseForm reads a urlencoded body of POST, PUT
 * and PATCH, and a multipart/form-data body of any method has its fields
 * appended to r.PostForm and, after the query's, to r.Form (a multipart
 * body ReadForm refuses adds none). `formToken` is r.Form's csrf_token,
 * which CSRFErrorReason reads. Every unsafe public route is on an ignored
 * path (nosurf.test.ts), but a parameter holding an encoded slash
 * (`/self-service/methods/oidc/callback/a%2Fb`) takes its route past the
 * ignore globs: the forms are kept on the context for the route's own
 * ParseForm (HttpContext.parsedForm), as Go keeps them on the request.
 */
async function sentToken(ctx: HttpContext, mux: KratosMuxPath): Promise<{ token: string; formToken: string | undefined }> {
  const contentType = ctx.header("content-type");
  const multipart = goMultipartForm(contentType);
  let body: Buffer | undefined;
  if (goReadsFormBody(ctx.method, contentType) || multipart.kind === "multipart") body = await readRawBody(ctx).catch(() => undefined);
  const form = goParseForm(ctx.method, contentType, body, mux.rawQuery);
  if (multipart.kind === "multipart" && body !== undefined && contentType !== undefined) {
    const fields = await goMultipartFormValues(body, contentType);
    if (fields) for (const into of [form.postForm, form.form]) appendValues(into, fields);
  }
  ctx.parsedForm = { postForm: form.postForm, form: form.form };
  const postToken = goValuesGet(form.postForm, "csrf_token");
  const formToken = goValuesGet(form.form, "csrf_token");
  return { token: ctx.header("x-csrf-token") || postToken, formToken: formToken || undefined };
}

function appendValues(into: GoValues, from: GoValues): void {
  for (const [key, list] of from) into.set(key, [...(into.get(key) ?? []), ...list]);
}

function refusedAsSecureTarget(ctx: HttpContext): boolean {
  const target = requestTargetOf(ctx.req);
  if (!target.ok || target.url.scheme !== "https") return false;
  const sent = ctx.header("referer") ?? "";
  const referer = goUrlParse(sent);
  if (!referer.ok || sent === "") return true;
  return referer.url.scheme !== target.url.scheme || referer.url.host !== target.url.host;
}

/** nosurf verifyToken: the sent token base64-decoded, unmasked when it is masked (64 bytes), equal to the cookie's. */
function verifyToken(real: Buffer | undefined, sent: string): boolean {
  if (real?.length !== TOKEN_BYTES) return false;
  let token = Buffer.from(sent, "base64");
  if (token.length === TOKEN_BYTES * 2) {
    const unmasked = Buffer.alloc(TOKEN_BYTES);
    for (let i = 0; i < TOKEN_BYTES; i++) unmasked[i] = (token[i] ?? 0) ^ (token[TOKEN_BYTES + i] ?? 0);
    token = unmasked;
  }
  return token.length === TOKEN_BYTES && timingSafeEqual(token, real);
}
