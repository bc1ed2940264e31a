import { isStorableText } from "@olympus/server-kit/text";
import type { Db } from "../storage/db";

export interface ConsentSessionRecord {
  grantId: string;
  subject: string;
  clientId: string;
  loginSessionId: string | null;
  challenge: string;
  grantScope: string[];
  grantAudience: string[];
  session: { access_token: Record<string, unknown>; id_token: Record<string, unknown> };
  context: unknown;
  consentRequest: Record<string, unknown>;
  remember: boolean;
  rememberFor: number;
  handledAt: Date;
}

type ConsentRow = {
  grant_id: string;
  subject: string;
  client_id: string;
  login_session_id: string | null;
  challenge: string;
  grant_scope: string[];
  grant_audience: string[];
  session: ConsentSessionRecord["session"];
  context: unknown;
  consent_request: Record<string, unknown>;
  remember: boolean;
  remember_for: number;
  handled_at: Date;
};

function fromRow(row: ConsentRow): ConsentSessionRecord {
  return {
    grantId: row.grant_id,
    subject: row.subject,
    clientId: row.client_id,
    loginSessionId: row.login_session_id,
    challenge: row.challenge,
    grantScope: row.grant_scope,
    grantAudience: row.grant_audience,
    session: row.session,
    context: row.context,
    consentRequest: row.consent_request,
    remember: row.remember,
    rememberFor: row.remember_for,
    handledAt: row.handled_at,
  };
}

/**
 * Hydra's notion of "remembered" login and consent, which oidc-provider does
 * not track: a login session is remembered when the UI accepted it with
 * remember=true (until remember_for elapses); a consent likewise.
 */
export class SessionRepository {
  constructor(private readonly db: Db) {}

  /** Hydra's ConfirmLoginSession; `authenticatedAt` (seconds) is when the login UI accepted the login. */
  async rememberLogin(sessionId: string, subject: string, remember: boolean, rememberFor: number, authenticatedAt: number): Promise<void> {
    await this.db.query(
      `INSERT INTO hydra_login_sessions (id, subject, remember, authenticated_at, expires_at)
       VALUES ($1, $2, $3, to_timestamp($5), CASE WHEN $4::int > 0 THEN now() + make_interval(secs => $4::int) END)
       ON CONFLICT (id) DO UPDATE SET subject = EXCLUDED.subject, remember = EXCLUDED.remember,
         authenticated_at = EXCLUDED.authenticated_at, expires_at = EXCLUDED.expires_at`,
      [sessionId, subject, remember, rememberFor, authenticatedAt],
    );
  }

  /** A remembered, unexpired login session (Hydra's GetRememberedLoginSession), if any. */
  async rememberedLogin(sessionId: string): Promise<{ subject: string; authenticatedAt: Date } | undefined> {
    const result = await this.db.query<{ subject: string; authenticated_at: Date }>(
      `SELECT subject, authenticated_at FROM hydra_login_sessions
       WHERE id = $1 AND remember AND (expires_at IS NULL OR expires_at > now())`,
      [sessionId],
    );
    const row = result.rows[0];
    return row ? { subject: row.subject, authenticatedAt: row.authenticated_at } : undefined;
  }

  /**
   * The login session (oidc-provider Session uid) in which `clientId` was
   * issued ID tokens with this `sid` claim: oidc-provider's sid is per client,
   * Hydra's is the login session id, so an id_token_hint is traced back here.
   */
  async loginSessionForSid(clientId: string, sid: string): Promise<string | undefined> {
    if (!isStorableText(clientId) || !isStorableText(sid)) return undefined;
    const result = await this.db.query<{ uid: string }>(
      `SELECT uid FROM oidc_payloads
       WHERE model = 'Session' AND payload->'authorizations' @> jsonb_build_object($1::text, jsonb_build_object('sid', $2::text))
         AND (expires_at IS NULL OR expires_at > now())
       LIMIT 1`,
      [clientId, sid],
    );
    return result.rows[0]?.uid;
  }

  async forgetLogins(filter: { subject?: string; sessionId?: string }): Promise<void> {
    if (filter.sessionId) await this.db.query("DELETE FROM hydra_login_sessions WHERE id = $1", [filter.sessionId]);
    if (filter.subject) await this.db.query("DELETE FROM hydra_login_sessions WHERE subject = $1", [filter.subject]);
  }

  async saveConsent(record: Omit<ConsentSessionRecord, "handledAt">, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO hydra_consent_sessions (grant_id, subject, client_id, login_session_id, challenge, grant_scope,
         grant_audience, session, context, consent_request, remember, remember_for, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() + make_interval(secs => $13::int))`,
      [
        record.grantId,
        record.subject,
        record.clientId,
        record.loginSessionId,
        record.challenge,
        JSON.stringify(record.grantScope),
        JSON.stringify(record.grantAudience),
        JSON.stringify(record.session),
        record.context === undefined ? null : JSON.stringify(record.context),
        JSON.stringify(record.consentRequest),
        record.remember,
        record.rememberFor,
        ttlSeconds,
      ],
    );
  }

  async consentByGrant(grantId: string): Promise<ConsentSessionRecord | undefined> {
    const result = await this.db.query<ConsentRow>("SELECT * FROM hydra_consent_sessions WHERE grant_id = $1", [grantId]);
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /**
   * Hydra's FindGrantedAndRememberedConsentRequest: the newest consent the
   * subject gave the client with `remember`, not itself a skipped one, whose
   * `remember_for` has not run out. The caller decides whether it covers a request.
   */
  async rememberedConsent(subject: string, clientId: string): Promise<ConsentSessionRecord | undefined> {
    const result = await this.db.query<ConsentRow>(
      `SELECT * FROM hydra_consent_sessions
       WHERE subject = $1 AND client_id = $2 AND remember
         AND (consent_request->>'skip') IS DISTINCT FROM 'true'
         AND (remember_for = 0 OR handled_at + make_interval(secs => remember_for) > now())
       ORDER BY handled_at DESC LIMIT 1`,
      [subject, clientId],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /**
   * Hydra's FindSubjectsGrantedConsentRequests / FindSubjectsSessionGrantedConsentRequests:
   * the subject's consents that were not skipped, a page at a time (keyset by grant id).
   */
  async listConsents(
    subject: string,
    options: { loginSessionId?: string; after: string; size: number },
  ): Promise<{ records: ConsentSessionRecord[]; nextAfter?: string }> {
    const result = await this.db.query<ConsentRow>(
      `SELECT * FROM hydra_consent_sessions
       WHERE subject = $1 AND ($2::text IS NULL OR login_session_id = $2)
         AND (consent_request->>'skip') IS DISTINCT FROM 'true' AND grant_id > $3
       ORDER BY grant_id LIMIT $4`,
      [subject, options.loginSessionId ?? null, options.after, options.size + 1],
    );
    const rows = result.rows.slice(0, options.size);
    const last = rows[rows.length - 1];
    return { records: rows.map(fromRow), ...(result.rows.length > options.size && last ? { nextAfter: last.grant_id } : {}) };
  }

  /** Hydra's RevokeConsentSessionByID: the consent given in one consent request. */
  async deleteConsentByRequest(consentRequestId: string): Promise<string[]> {
    const result = await this.db.query<{ grant_id: string }>("DELETE FROM hydra_consent_sessions WHERE challenge = $1 RETURNING grant_id", [
      consentRequestId,
    ]);
    return result.rows.map((row) => row.grant_id);
  }

  /** Deletes consent records and returns their grant ids (whose tokens the caller revokes). */
  async deleteConsents(subject: string, clientId?: string): Promise<string[]> {
    const result = await this.db.query<{ grant_id: string }>(
      "DELETE FROM hydra_consent_sessions WHERE subject = $1 AND ($2::text IS NULL OR client_id = $2) RETURNING grant_id",
      [subject, clientId ?? null],
    );
    return result.rows.map((row) => row.grant_id);
  }

  async deleteConsentsOfClient(clientId: string): Promise<string[]> {
    const result = await this.db.query<{ grant_id: string }>("DELETE FROM hydra_consent_sessions WHERE client_id = $1 RETURNING grant_id", [
      clientId,
    ]);
    return result.rows.map((row) => row.grant_id);
  }
}
