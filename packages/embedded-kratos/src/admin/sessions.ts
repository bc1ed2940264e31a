import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import type { Router } from "../http/router";
import { isUuid } from "../identity/repository";
import { adminSessionJson } from "../session/json";
import type { Session } from "../session/session";
import { adminErrors } from "./errors";
import { uuidParseError } from "./go-json";
import { parseMigrationPagination, setMigrationLinkHeader } from "./migration-pagination";
import { goQueryEncode } from "./pagination";

/** Admin session endpoints (session/handler.go), with Kratos' parameter checks and answers. */

const SESSION_PAGE_DEFAULT = 250;
const SESSION_PAGE_MAX = 1000;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

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

/** session.ParseExpandable: `identity` and `devices`, in any case. */
function expandsIdentity(query: URLSearchParams): boolean {
  let identity = false;
  for (const value of query.getAll("expand")) {
    const e = value.toLowerCase();
    if (e !== "identity" && e !== "devices") throw adminErrors.badRequest(`Could not parse expand option: ${value}`);
    if (e === "identity") identity = true;
  }
  return identity;
}

/** uuid.FromString of a path parameter; Kratos puts the parser's error in the message. */
function sessionOrIdentityId(ctx: HttpContext): string {
  const id = ctx.params.id ?? "";
  if (!isUuid(id)) throw adminErrors.badRequestMessage(uuidParseError(id));
  return id.toLowerCase();
}

/** Go's time format "2006-01-02 15:04:05.99999" (x.MapPaginationDateFormat) in UTC. */
function tokenTime(date: Date): string {
  const iso = date.toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}`;
}

/** keysetpagination.MapPageToken as Session.PageToken makes it (base64 of `id=…/created_at=…`). */
function encodeSessionToken(id: string, createdAt: Date): string {
  return Buffer.from(`id=${id}/created_at=${tokenTime(createdAt)}`, "utf8")
    .toString("base64")
    .replace(/=+$/, "");
}

/** The id in a session page token; an undecodable one is Kratos' `page_size` message, a wrong id its page-token reason. */
function decodeSessionToken(token: string): string {
  if (!/^[A-Za-z0-9+/]*$/.test(token) || token.length % 4 === 1) throw adminErrors.badRequestMessage("could not parse parameter page_size");
  const fields = Object.fromEntries(
    Buffer.from(token, "base64")
      .toString("utf8")
      .split("/")
      .map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)]),
  );
  const id = fields.id ?? "";
  if (!isUuid(id)) throw adminErrors.badRequest("The page token is invalid, do not craft your own page tokens");
  return id.toLowerCase();
}

/** keysetpagination.Parse for the session list: any failure is "could not parse parameter page_size". */
function sessionPage(query: URLSearchParams): { after: string | undefined; size: number } {
  const token = query.getAll("page_token").find((v) => v !== "");
  const rawSize = query.getAll("page_size").find((v) => v !== "");
  let size = SESSION_PAGE_DEFAULT;
  if (rawSize !== undefined) {
    if (!/^[+-]?\d+$/.test(rawSize)) throw adminErrors.badRequestMessage("could not parse parameter page_size");
    const n = Number(rawSize);
    size = n <= 0 ? SESSION_PAGE_DEFAULT : Math.min(n, SESSION_PAGE_MAX);
  }
  const after = token === undefined ? undefined : decodeSessionToken(token);
  return { after: after === NIL_UUID ? undefined : after, size };
}

export function registerAdminSessionRoutes(router: Router, deps: Deps): void {
  router.get("/admin/sessions", async (ctx) => {
    const active = activeFilter(ctx.query);
    const { after, size } = sessionPage(ctx.query);
    const withIdentity = expandsIdentity(ctx.query);
    const rows = await deps.sessions.repository.list({ pageSize: size + 1, after, active, withIdentity });
    const page = rows.slice(0, size);
    const last = rows.length > size ? page[page.length - 1] : undefined;
    const link = (rel: string, token: string) => {
      const q = new URLSearchParams(ctx.url.search);
      q.set("page_token", token);
      q.set("page_size", String(size));
      return `<${ctx.path}?${goQueryEncode(q)}>; rel="${rel}"`;
    };
    const first = link("first", encodeSessionToken(NIL_UUID, new Date(Date.UTC(2200, 11, 31, 23, 59, 59))));
    ctx.res.setHeader("Link", last ? `${first},${link("next", encodeSessionToken(last.id, last.issuedAt))}` : first);
    ctx.json(
      200,
      page.map((s) => adminSessionJson(deps, s)),
    );
  });

  router.get("/admin/identities/:id/sessions", async (ctx) => {
    const id = sessionOrIdentityId(ctx);
    const active = activeFilter(ctx.query);
    const { page, perPage } = parseMigrationPagination(ctx.query);
    // An identity has few sessions: page them newest first (Kratos orders by created_at) in memory.
    const all = await deps.sessions.repository.list({ identityId: id, pageSize: 100_000, active, withIdentity: true });
    all.sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    setMigrationLinkHeader(ctx, ctx.path, new URLSearchParams(ctx.url.search), all.length, page, perPage);
    ctx.json(
      200,
      all.slice(page * perPage, (page + 1) * perPage).map((s: Session) => adminSessionJson(deps, s)),
    );
  });

  // Kratos does not look the identity up: an unknown one has no sessions to revoke.
  router.delete("/admin/identities/:id/sessions", async (ctx) => {
    await deps.sessions.repository.deactivateAllForIdentity(sessionOrIdentityId(ctx));
    ctx.noContent();
  });

  router.get("/admin/sessions/:id", async (ctx) => {
    if (ctx.params.id === "whoami") {
      // redir.RedirectToPublicRoute: the same path without /admin on the public base URL.
      const target = new URL(deps.config.publicBaseUrl);
      target.pathname = `${target.pathname.replace(/\/$/, "")}/sessions/whoami`;
      target.search = ctx.url.search;
      ctx.redirect(target.toString(), 307);
      return;
    }
    const id = sessionOrIdentityId(ctx);
    const session = await deps.sessions.repository.get(id, expandsIdentity(ctx.query));
    if (!session) throw adminErrors.noRows();
    ctx.json(200, adminSessionJson(deps, session));
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
      session.expiresAt = new Date(Date.now() + lifespan);
      await deps.sessions.repository.extend(id, session.expiresAt);
    }
    if (deps.config.feature_flags.faster_session_extend === true) {
      ctx.noContent();
      return;
    }
    ctx.json(200, adminSessionJson(deps, session));
  });
}
