import type { Deps } from "../deps";
import { errors } from "../http/errors";
import type { Router } from "../http/router";
import { isUuid } from "../identity/repository";
import { adminSessionJson } from "../session/json";
import { pageTokenCursor, parsePageSize, setLinkHeader } from "./pagination";

/** Admin session endpoints (session/handler.go). */
export function registerAdminSessionRoutes(router: Router, deps: Deps): void {
  const activeFilter = (q: URLSearchParams) => (q.get("active") === "true" ? true : q.get("active") === "false" ? false : undefined);
  const expands = (q: URLSearchParams) => new Set(q.getAll("expand").flatMap((e) => e.split(",")));

  router.get("/admin/sessions", async (ctx) => {
    const pageSize = parsePageSize(ctx.query);
    const rows = await deps.sessions.repository.list({
      pageSize: pageSize + 1,
      after: pageTokenCursor(ctx.query),
      active: activeFilter(ctx.query),
      withIdentity: expands(ctx.query).has("identity"),
    });
    const page = rows.slice(0, pageSize);
    setLinkHeader(ctx, "/admin/sessions", pageSize, rows.length > pageSize ? page[page.length - 1]?.id : undefined);
    ctx.json(200, page.map((s) => adminSessionJson(deps, s)));
  });

  router.get("/admin/identities/:id/sessions", async (ctx) => {
    const id = ctx.params.id ?? "";
    if (!isUuid(id) || !(await deps.identityRepository.get(id))) throw errors.notFound();
    const pageSize = parsePageSize(ctx.query);
    const rows = await deps.sessions.repository.list({
      identityId: id,
      pageSize: pageSize + 1,
      after: pageTokenCursor(ctx.query),
      active: activeFilter(ctx.query),
      withIdentity: true,
    });
    const page = rows.slice(0, pageSize);
    setLinkHeader(ctx, `/admin/identities/${id}/sessions`, pageSize, rows.length > pageSize ? page[page.length - 1]?.id : undefined);
    ctx.json(200, page.map((s) => adminSessionJson(deps, s)));
  });

  router.delete("/admin/identities/:id/sessions", async (ctx) => {
    const id = ctx.params.id ?? "";
    if (!isUuid(id) || !(await deps.identityRepository.get(id))) throw errors.notFound();
    await deps.sessions.repository.deactivateAllForIdentity(id);
    ctx.noContent();
  });

  router.get("/admin/sessions/:id", async (ctx) => {
    const id = ctx.params.id ?? "";
    const session = isUuid(id) ? await deps.sessions.repository.get(id, expands(ctx.query).has("identity")) : undefined;
    if (!session) throw errors.notFound();
    ctx.json(200, adminSessionJson(deps, session));
  });

  router.delete("/admin/sessions/:id", async (ctx) => {
    const id = ctx.params.id ?? "";
    if (!isUuid(id) || !(await deps.sessions.repository.get(id))) throw errors.notFound();
    await deps.sessions.repository.deactivate(id);
    ctx.noContent();
  });

  router.patch("/admin/sessions/:id/extend", async (ctx) => {
    const id = ctx.params.id ?? "";
    const session = isUuid(id) ? await deps.sessions.repository.get(id, true) : undefined;
    if (!session) throw errors.notFound();
    const { lifespan, earliest_possible_extend: earliest } = deps.config.session;
    const remaining = session.expiresAt.getTime() - Date.now();
    // Kratos only extends once the session is inside the earliest_possible_extend window (default: always).
    if (earliest === undefined || remaining <= earliest) {
      session.expiresAt = new Date(Date.now() + lifespan);
      await deps.sessions.repository.extend(id, session.expiresAt);
    }
    ctx.json(200, adminSessionJson(deps, session));
  });
}
