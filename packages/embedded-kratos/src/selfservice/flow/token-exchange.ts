import { randomUUID } from "node:crypto";
import { cipherFor } from "../../cipher/cipher";
import type { Deps } from "../../deps";
import type { HttpContext } from "../../http/context";
import { KratosError } from "../../http/errors";
import type { Router } from "../../http/router";
import { publicSessionJson } from "../../session/json";
import { randomAlnum } from "../../session/tokens";
import type { Migration } from "../../storage/migrate";
import type { Flow } from "./flow";

/**
 * Kratos' session token exchange (selfservice/sessiontokenexchange,
 * persistence/sql/persister_sessiontokenexchanger.go, session/handler.go
 * exchangeCode, session/manager_http.go MaybeRedirectAPICodeFlow). A native
 * login or registration flow started with
 * `return_session_token_exchange_code=true` gets an exchanger: the init code
 * goes to the app, the return_to code stays here. When a social sign-in of
 * that flow finishes in the system browser, the session is recorded on the
 * exchanger and the browser is sent to return_to with `code=<return_to
 * code>`; `GET /sessions/token-exchange` trades both codes for the session
 * token. Kratos reads the token back from its sessions table; here only the
 * token's hash is kept there, so the exchanger holds the token, encrypted
 * with the configured cipher.
 */
export const sessionTokenExchangeMigrations: Migration[] = [
  {
    id: "session_token_exchange_0001",
    sql: `
CREATE TABLE IF NOT EXISTS session_token_exchanges (
  id uuid PRIMARY KEY,
  flow_id uuid NOT NULL,
  session_id uuid REFERENCES sessions (id) ON DELETE CASCADE,
  session_token_sealed text,
  init_code text NOT NULL,
  return_to_code text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS session_token_exchanges_flow_idx ON session_token_exchanges (flow_id);`,
  },
];

export interface ExchangeCodes {
  initCode: string;
  returnToCode: string;
}

type ExchangeDeps = Pick<Deps, "db" | "config">;

/** CreateSessionTokenExchanger: two 64-character alphanumeric codes for the flow; the init code is the app's. */
export async function createSessionTokenExchanger(deps: ExchangeDeps, flowId: string): Promise<string> {
  const initCode = randomAlnum(64);
  await deps.db.query("INSERT INTO session_token_exchanges (id, flow_id, init_code, return_to_code) VALUES ($1, $2, $3, $4)", [
    randomUUID(),
    flowId,
    initCode,
    randomAlnum(64),
  ]);
  return initCode;
}

/** CodeForFlow. */
export async function codeForFlow(deps: ExchangeDeps, flowId: string): Promise<ExchangeCodes | undefined> {
  const { rows } = await deps.db.query<{ init_code: string; return_to_code: string }>(
    "SELECT init_code, return_to_code FROM session_token_exchanges WHERE flow_id = $1 AND init_code <> '' AND return_to_code <> '' LIMIT 1",
    [flowId],
  );
  const row = rows[0];
  return row ? { initCode: row.init_code, returnToCode: row.return_to_code } : undefined;
}

/** MoveToNewFlow: a sign-in that continues in another flow (login ↔ registration) keeps its exchanger. */
export async function moveToNewFlow(deps: ExchangeDeps, oldFlow: string, newFlow: string): Promise<void> {
  await deps.db.query("UPDATE session_token_exchanges SET flow_id = $2, updated_at = now() WHERE flow_id = $1", [oldFlow, newFlow]);
}

/**
 * MaybeRedirectAPICodeFlow: a native flow finished by a social sign-in (the
 * `oidc` group) that has an exchanger records the session on it and sends the
 * browser to return_to (else the default return URL) with `code`. False when
 * the flow is not such a flow.
 */
export async function maybeRedirectApiCodeFlow(
  deps: ExchangeDeps & Pick<Deps, "returnTo">,
  ctx: HttpContext,
  flow: Flow,
  session: { id: string; token: string | undefined },
  group: string,
): Promise<boolean> {
  if (group !== "oidc" || flow.type !== "api") return false;
  const codes = await codeForFlow(deps, flow.id);
  if (!codes) return false;
  await deps.db.query(
    "UPDATE session_token_exchanges SET session_id = $2, session_token_sealed = $3, updated_at = now() WHERE flow_id = $1",
    [flow.id, session.id, session.token ? cipherFor(deps.config).encrypt(session.token) : null],
  );
  const target = new URL(deps.returnTo.target(flow.returnTo) ?? deps.config.selfservice.default_browser_return_url);
  target.searchParams.set("code", codes.returnToCode);
  ctx.redirect(target.toString());
  return true;
}

/** Handler.exchangeCode. */
export function registerTokenExchangeRoute(router: Router, deps: Deps): void {
  router.get("/sessions/token-exchange", async (ctx) => {
    const initCode = ctx.query.get("init_code") ?? "";
    const returnToCode = ctx.query.get("return_to_code") ?? "";
    if (initCode === "" || returnToCode === "") {
      throw new KratosError(400, { reason: '"init_code" and "return_to_code" query params must be set' });
    }
    const { rows } = await deps.db.query<{ session_id: string; session_token_sealed: string | null }>(
      `SELECT session_id, session_token_sealed FROM session_token_exchanges
        WHERE init_code = $1 AND init_code <> '' AND return_to_code = $2 AND return_to_code <> '' AND session_id IS NOT NULL LIMIT 1`,
      [initCode, returnToCode],
    );
    const row = rows[0];
    if (!row) throw new KratosError(404, { reason: 'no session yet for this "code"' });
    const session = await deps.sessions.repository.get(row.session_id, true);
    if (!session) throw new KratosError(404, { message: "Unable to locate the resource" });
    const token = row.session_token_sealed ? cipherFor(deps.config).decrypt(row.session_token_sealed).toString("utf8") : "";
    ctx.json(200, { session_token: token, session: publicSessionJson(deps, session, true) });
  });
}
