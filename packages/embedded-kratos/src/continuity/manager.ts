import { randomUUID } from "node:crypto";
import type { KratosConfig } from "../config/load";
import type { HttpContext } from "../http/context";
import { KratosError } from "../http/errors";
import type { Database } from "../storage/database";
import { decodeSecureCookie, encodeSecureCookie, SECURECOOKIE_MAX_AGE_SECONDS, sessionSecrets } from "./securecookie";

/**
 * Kratos' continuity.ManagerCookie (continuity/manager_cookie.go): a
 * container row in `continuity_containers` holds a payload across a round
 * trip through another site; the browser keeps only a reference to it in the
 * `ory_kratos_continuity` cookie — a gorilla/sessions cookie mapping each
 * container name to its id, signed (and encrypted when a second cookie secret
 * is set) with `secrets.cookie` (./securecookie.ts).
 */
export const CONTINUITY_COOKIE = "ory_kratos_continuity";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ContinuityDeps {
  config: KratosConfig;
  db: Database;
}

/** ErrNotResumable. */
export const notResumable = () =>
  new KratosError(400, {
    message: "no resumable session found",
    reason:
      "The browser does not contain the necessary cookie to resume the session. This is a security violation and was blocked. Please clear your browser's cookies and cache and try again!",
  });

export interface PauseOptions {
  payload: unknown;
  lifespanMs: number;
  identityId?: string;
}

/** Pause: a new container and its id under `name` in the cookie (next to the names already there). */
export async function pauseContinuity(deps: ContinuityDeps, ctx: HttpContext, name: string, options: PauseOptions): Promise<void> {
  const id = randomUUID();
  // NewContainer: the expiry is truncated to the second.
  const expiresAt = new Date(Math.floor((Date.now() + options.lifespanMs) / 1000) * 1000);
  await deps.db.query(`INSERT INTO continuity_containers (id, identity_id, name, payload, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    options.identityId ?? null,
    name,
    JSON.stringify(options.payload),
    expiresAt,
  ]);
  const values = cookieValues(deps, ctx) ?? new Map<string, string>();
  values.set(name, id);
  writeCookie(deps, ctx, values);
}

export interface ContinueOptions {
  /** WithExpireInsteadOfDelete: the container stays this long (a reloaded callback finds it) and the cookie keeps its id. */
  expireInsteadOfDeleteMs?: number;
  /** WithIdentity: the container must belong to this identity. */
  identityId?: string;
}

/** Continue: the payload of this browser's container `name`; errors as Kratos' (ErrNotResumable, expired, another person's). */
export async function continueContinuity(
  deps: ContinuityDeps,
  ctx: HttpContext,
  name: string,
  options: ContinueOptions = {},
): Promise<unknown> {
  const values = cookieValues(deps, ctx);
  const id = values?.get(name);
  if (!values || id === undefined || !UUID.test(id)) {
    unsetKey(deps, ctx, values, name);
    throw notResumable();
  }
  const { rows } = await deps.db.query<{ identity_id: string | null; payload: unknown; expires_at: Date }>(
    `SELECT identity_id, payload, expires_at FROM continuity_containers WHERE id = $1`,
    [id],
  );
  const container = rows[0];
  if (!container || container.expires_at.getTime() < Date.now()) {
    unsetKey(deps, ctx, values, name);
    throw notResumable();
  }
  // Container.Valid.
  if (options.identityId !== undefined && container.identity_id !== options.identityId) {
    throw new KratosError(403, { reason: "The flow has been blocked for security reasons because it was initiated by another person.." });
  }
  if (options.expireInsteadOfDeleteMs !== undefined && options.expireInsteadOfDeleteMs > 0) {
    const expiresAt = new Date(Math.floor((Date.now() + options.expireInsteadOfDeleteMs) / 1000) * 1000);
    await deps.db.query(`UPDATE continuity_containers SET expires_at = $2, updated_at = now() WHERE id = $1`, [id, expiresAt]);
  } else {
    unsetKey(deps, ctx, values, name);
    await deps.db.query(`DELETE FROM continuity_containers WHERE id = $1`, [id]);
  }
  return container.payload;
}

/** The cookie's name → container id map; undefined when the browser sent none or one that does not verify. */
function cookieValues(deps: ContinuityDeps, ctx: HttpContext): Map<string, string> | undefined {
  const cookie = ctx.cookie(CONTINUITY_COOKIE);
  if (cookie === undefined) return undefined;
  try {
    return decodeSecureCookie(CONTINUITY_COOKIE, cookie, sessionSecrets(deps.config.secrets));
  } catch {
    return undefined;
  }
}

/** SessionUnsetKey: a browser that sent a cookie gets it back without the name (a new, empty one when it did not verify). */
function unsetKey(deps: ContinuityDeps, ctx: HttpContext, values: Map<string, string> | undefined, name: string): void {
  if (ctx.cookie(CONTINUITY_COOKIE) === undefined) return;
  const rest = new Map(values ?? []);
  rest.delete(name);
  writeCookie(deps, ctx, rest);
}

/** sessions.CookieStore.Save with Kratos' options: Path=/, 30 days, HttpOnly, SameSite=Lax, Secure per `cookies.secure`. */
function writeCookie(deps: ContinuityDeps, ctx: HttpContext, values: ReadonlyMap<string, string>): void {
  const value = encodeSecureCookie(CONTINUITY_COOKIE, values, sessionSecrets(deps.config.secrets));
  const expires = new Date(Date.now() + SECURECOOKIE_MAX_AGE_SECONDS * 1000);
  const parts = [
    `${CONTINUITY_COOKIE}=${value}`,
    "Path=/",
    `Expires=${expires.toUTCString()}`,
    `Max-Age=${SECURECOOKIE_MAX_AGE_SECONDS}`,
    "HttpOnly",
  ];
  if (deps.config.secureCookies) parts.push("Secure");
  parts.push("SameSite=Lax");
  ctx.setCookie(parts.join("; "));
}
