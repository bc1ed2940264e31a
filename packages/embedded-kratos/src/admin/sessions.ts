import { goToLower } from "@olympus/server-kit/text";
import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import type { Router } from "../http/router";
import { goParseUuid } from "@olympus/server-kit/go-json";
import { goAtoi } from "@olympus/server-kit/go-strconv";
import { goBytes, goEncodeParams, goValuesFirstNonEmpty } from "@olympus/server-kit/go-url";
import { adminSessionJson } from "../session/json";
import type { Session } from "../session/session";
import { adminErrors } from "./errors";
import { redirectToPublicRoute } from "./public-redirects";
import { goQuery } from "./go-query";
import { parseMigrationPagination, popOffset, setMigrationLinkHeader } from "./migration-pagination";
import { DEFAULT_SESSION_TOKEN, encodeSessionPageToken, readSessionPageToken, sessionPagePosition } from "./session-page-token";
import { now as timeNow } from "../clock/clock";

/** Admin session endpoints (session/handler.go), with Kratos' parameter checks and answers. */

const SESSION_PAGE_DEFAULT = 250;
const SESSION_PAGE_MAX = 1000;

/** strconv.ParseBool. */
function parseGoBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** `active`: absent or empty means both; anything ParseBool refuses is a 400. */
function activeFilter(query: URLSearchParams): boolean | undefined {
  const raw = query.get("active") ?? "";
  if (raw === "") return undefined;
  const parsed = parseGoBool(raw);
  if (parsed === undefined) throw adminErrors.badRequestMessage("could not parse parameter active");
  return parsed;
}

/** session.ParseExpandable: `identity` and `devices`, in any case (strings.ToLower). */
function parseExpand(query: URLSearchParams): { identity: boolean; devices: boolean } {
  const expand = { identity: false, devices: false };
  for (const value of query.getAll("expand")) {
    const e = goToLower(value);
    if (e !== "identity" && e !== "devices") throw adminErrors.badRequest(`Could not parse expand option: ${value}`);
    expand[e] = true;
  }
  return expand;
}

/**
 * uuid.FromString of a path parameter (braces, `urn:uuid:` and 32 digits
 * accepted, used in canonical form); Kratos puts the parser's error in the message.
 */
function sessionOrIdentityId(ctx: HttpContext): string {
  const parsed = goParseUuid(ctx.params.id ?? "");
  if ("error" in parsed) throw adminErrors.badRequestMessage(parsed.error);
  return parsed.uuid;
}

/** keysetpagination.Parse's page_size: first non-empty value, Atoi (int64); at most 1000, 250 when absent or not positive (Paginator.Size). */
function sessionPageSize(query: URLSearchParams): number {
  const raw = goValuesFirstNonEmpty(query, "page_size");
  if (raw === "") return SESSION_PAGE_DEFAULT;
  const parsed = goAtoi(goBytes(raw));
  if ("error" in parsed) throw adminErrors.badRequestMessage("could not parse parameter page_size");
  // Clamped far below 2^53 next, so the Number keeps what matters.
  const size = Number(parsed.value);
  return size <= 0 ? SESSION_PAGE_DEFAULT : Math.min(size, SESSION_PAGE_MAX);
}

/**
 * A session as the admin API writes what the persister loaded: Session.Identity
 * has no `omitempty`, so an identity left unloaded is JSON null; devices left
 * unloaded are `unloadedDevices` (ListSessions: nil, GetSession: its empty list).
 */
function expandedSessionJson(
  deps: Deps,
  session: Session,
  expand: { identity: boolean; devices: boolean },
  unloadedDevices: null | [],
): Record<string, unknown> {
  // Re-added in Go's field order: identity, then devices.
  const { identity, devices, ...json } = adminSessionJson(deps, session);
  return {
    ...json,
    identity: expand.identity ? identity : null,
    devices: expand.devices ? devices : unloadedDevices,
  };
}

export function registerAdminSessionRoutes(router: Router, deps: Deps): void {
  // session/handler.go adminListSessions + persister_session.go ListSessions: newest first, keyset pages.
  router.get("/admin/sessions", async (ctx) => {
    const query = goQuery(ctx);
    const active = activeFilter(query);
    const token = readSessionPageToken(query);
    const size = sessionPageSize(query);
    const expand = parseExpand(query);
    const position = sessionPagePosition(token);
    const rows = await deps.sessions.repository.listNewestFirst({
      limit: size + 1,
      afterId: position.id,
      afterCreatedAt: position.createdAt,
      active,
      withIdentity: expand.identity,
    });
    const page = rows.slice(0, size);
    const last = rows.length > size ? page[page.length - 1] : undefined;
    // keysetpagination.Header: `first` (the default token) and, unless this is the last page, `next` from its last item.
    const link = (rel: string, token: string) => {
      const q = new URLSearchParams(query);
      q.set("page_token", token);
      q.set("page_size", String(size));
      return `<${ctx.path}?${goEncodeParams(q)}>; rel="${rel}"`;
    };
    const links = [link("first", encodeSessionPageToken(DEFAULT_SESSION_TOKEN))];
    if (last) links.push(link("next", encodeSessionPageToken({ id: last.session.id, createdAt: last.createdAt })));
    ctx.res.setHeader("Link", links.join(","));
    ctx.json(
      200,
      page.map((row) => expandedSessionJson(deps, row.session, expand, null)),
    );
  });

  // session/handler.go listIdentitySessions + ListSessionsByIdentity: newest first, page/per_page (or an offset token), everything expanded.
  router.get("/admin/identities/:id/sessions", async (ctx) => {
    const id = sessionOrIdentityId(ctx);
    const query = goQuery(ctx);
    const active = activeFilter(query);
    const { page, perPage } = parseMigrationPagination(query);
    const { sessions, total } = await deps.sessions.repository.listForIdentityNewestFirst({
      identityId: id,
      active,
      limit: perPage,
      offset: popOffset(page, perPage),
    });
    setMigrationLinkHeader(ctx, ctx.path, query, total, page, perPage);
    ctx.json(
      200,
      sessions.map((s) => adminSessionJson(deps, s)),
    );
  });

  // session/handler.go deleteIdentitySessions: the rows are deleted, not revoked; none deleted (an unknown identity too) is sqlcon.ErrNoRows.
  router.delete("/admin/identities/:id/sessions", async (ctx) => {
    if (!(await deps.sessions.repository.deleteAllForIdentity(sessionOrIdentityId(ctx)))) throw adminErrors.noRows();
    ctx.noContent();
  });

  router.get("/admin/sessions/:id", async (ctx) => {
    if (ctx.params.id === "whoami") {
      redirectToPublicRoute(deps, ctx);
      return;
    }
    // session/handler.go getSession: the UUID first, then every `expand` value; GetSession starts from an empty device list.
    const id = sessionOrIdentityId(ctx);
    const expand = parseExpand(goQuery(ctx));
    const session = await deps.sessions.repository.get(id, expand.identity);
    if (!session) throw adminErrors.noRows();
    ctx.json(200, expandedSessionJson(deps, session, expand, []));
  });

  router.delete("/admin/sessions/:id", async (ctx) => {
    const id = sessionOrIdentityId(ctx);
    if (!(await deps.sessions.repository.get(id))) throw adminErrors.noRows();
    await deps.sessions.repository.deactivate(id);
    ctx.noContent();
  });

  router.patch("/admin/sessions/:id/extend", async (ctx) => {
    const id = sessionOrIdentityId(ctx);
    const session = await deps.sessions.repository.get(id, true);
    if (!session) throw adminErrors.noRows();
    const { lifespan, earliest_possible_extend: earliest } = deps.config.session;
    const remaining = session.expiresAt.getTime() - Date.now();
    // Kratos only extends once the session is inside the earliest_possible_extend window (default: always).
    if (earliest === undefined || remaining <= earliest) {
      session.expiresAt = timeNow().add(lifespan);
      await deps.sessions.repository.extend(id, session.expiresAt);
    }
    if (deps.config.feature_flags.faster_session_extend === true) {
      ctx.noContent();
      return;
    }
    ctx.json(200, adminSessionJson(deps, session));
  });
}
