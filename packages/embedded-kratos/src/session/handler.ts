import { goParseUuid } from "@olympus/server-kit/go-json";
import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import { errors, KratosError } from "../http/errors";
import type { Router } from "../http/router";
import { parseMigrationPagination, popOffset, setMigrationLinkHeader } from "../admin/migration-pagination";
import { publicSessionJson } from "./json";
import { SessionTokenizer } from "./tokenizer/tokenizer";
import type { Session } from "./session";

/** /sessions/whoami and the "my sessions" endpoints of the public API. */
export function registerSessionRoutes(router: Router, deps: Deps): void {
  const tokenizer = new SessionTokenizer(deps.config);
  router.on(["GET", "POST", "PUT", "PATCH", "DELETE"], "/sessions/whoami", async (ctx) => {
    const session = await deps.sessions.require(ctx);
    requireWhoamiAal(deps, session);
    // Traits and metadata answered as jsonb's text, as Kratos marshals the identity's json.RawMessage.
    const body = publicSessionJson(deps, session, true);
    // session/handler.go whoami: `tokenize_as` adds the JWT as `tokenized` (session/tokenizer.go).
    // Read the query only when there is one: parsing the URL on every whoami is the hot path's largest avoidable allocation.
    const template = ctx.search === "" ? null : ctx.query.get("tokenize_as");
    if (template) body.tokenized = await tokenizer.tokenize(template, session, publicSessionJson(deps, session));
    ctx.json(200, body, { "X-Kratos-Authenticated-Identity-Id": session.identityId });
  });

  // session/handler.go listMySessions: ListSessionsByIdentity without the current session, active only, newest first, page/per_page.
  router.get("/sessions", async (ctx) => {
    const current = await requireMySession(deps, ctx);
    // listMySessions calls DoesSessionSatisfy with session.whoami.required_aal, as whoami does: the same 403.
    requireWhoamiAal(deps, current);
    const { page, perPage } = parseMigrationPagination(ctx.query);
    const { sessions, total } = await deps.sessions.repository.listForIdentityNewestFirst({
      identityId: current.identityId,
      exceptId: current.id,
      active: true,
      limit: perPage,
      offset: popOffset(page, perPage),
    });
    setMigrationLinkHeader(ctx, ctx.path, new URLSearchParams(ctx.url.search), total, page, perPage);
    ctx.json(
      200,
      sessions.map((s) => publicSessionJson(deps, s)),
    );
  });

  router.delete("/sessions", async (ctx) => {
    const current = await requireMySession(deps, ctx);
    const count = await deps.sessions.repository.deactivateAllForIdentity(current.identityId, current.id);
    ctx.json(200, { count });
  });

  // session/handler.go deleteMySession: the session first, then uuid.FromString, then the current-session check.
  router.delete("/sessions/:id", async (ctx) => {
    const current = await requireMySession(deps, ctx);
    const id = goParseUuid(ctx.params.id ?? "");
    if ("error" in id) throw new KratosError(400, { message: id.error });
    // Compared as parsed UUIDs, so `{…}` or upper case naming the current session is refused too.
    if (id.uuid === current.id) throw new KratosError(400, { message: "cannot revoke current session" });
    // RevokeSession: an unknown session, or another identity's, counts as already revoked — 204 all the same.
    await deps.sessions.repository.deactivate(id.uuid, current.identityId);
    ctx.noContent();
  });
}

/**
 * FetchFromRequest as the "my sessions" handlers answer its failure: a plain
 * herodot 401 with their own reason, not whoami's session_inactive error.
 */
async function requireMySession(deps: Deps, ctx: HttpContext): Promise<Session> {
  const session = await deps.sessions.fromRequest(ctx);
  if (!session) throw errors.unauthorized("No valid session cookie found.");
  return session;
}

/** DoesSessionSatisfy(session.whoami.required_aal): 403 session_aal2_required pointing at the aal2 login. */
function requireWhoamiAal(deps: Deps, session: Session): void {
  const identity = session.identity;
  if (identity && !deps.aal.satisfies(session.aal, identity, deps.config.session.whoami.required_aal)) {
    throw errors.aal2Required(`${deps.config.publicBaseUrl}self-service/login/browser?aal=aal2`);
  }
}
