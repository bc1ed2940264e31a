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
  /** The login request's time (Hydra's flow RequestedAt, the ID tokens' `rat`); null for consents of earlier versions. */
  loginRequestedAt: Date | null;
  /** When the login was authenticated (Hydra's flow LoginAuthenticatedAt, userinfo's `auth_time`); null for consents of earlier versions. */
  loginAuthenticatedAt: Date | null;
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
  login_requested_at: Date | null;
  login_authenticated_at: Date | null;
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
    loginRequestedAt: row.login_requested_at,
    loginAuthenticatedAt: row.login_authenticated_at,
  };
}

/** A browser's remembered login session (Hydra's flow.LoginSession the session cookie names). */
export interface BrowserLogin {
  id: string;
  subject: string;
  authenticatedAt: Date;
}

export interface DeletedLogin {
  id: string;
  subject: string;
  /** The oidc-provider session of the browser whose cookie named it, if any. */
  browserUid: string | null;
}

/**
 * Hydra's notion of "remembered" login and consent, which oidc-provider does
 * not track: a login session is remembered when the UI accepted it with
 * remember=true (until remember_for elapses); a consent likewise.
 */
export class SessionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Hydra's ConfirmLoginSession, under the login request's `session_id`
   * (not oidc-provider's session uid); `authenticatedAt` (seconds) is when
   * the login UI accepted the login.
   */
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
    if (!isStorableText(sessionId)) return undefined;
    const result = await this.db.query<{ subject: string; authenticated_at: Date }>(
      `SELECT subject, authenticated_at FROM hydra_login_sessions
       WHERE id = $1 AND remember AND (expires_at IS NULL OR expires_at > now())`,
      [sessionId],
    );
    const row = result.rows[0];
    return row ? { subject: row.subject, authenticatedAt: row.authenticated_at } : undefined;
  }

  /**
   * Hydra's authenticationSession: the remembered, unexpired login session
   * the browser's session cookie names. Here the browser is its
   * oidc-provider session (`browserUid`), which names at most one.
   */
  async browserLogin(browserUid: string): Promise<BrowserLogin | undefined> {
    const result = await this.db.query<{ id: string; subject: string; authenticated_at: Date }>(
      `SELECT id, subject, authenticated_at FROM hydra_login_sessions
       WHERE browser_uid = $1 AND remember AND (expires_at IS NULL OR expires_at > now())`,
      [browserUid],
    );
    const row = result.rows[0];
    return row ? { id: row.id, subject: row.subject, authenticatedAt: row.authenticated_at } : undefined;
  }

  /** verifyAuthentication setting the session cookie: the browser names this login session, and no other any more. */
  async setBrowserLogin(browserUid: string, sessionId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query("UPDATE hydra_login_sessions SET browser_uid = NULL WHERE browser_uid = $1 AND id <> $2", [browserUid, sessionId]);
      await tx.query("UPDATE hydra_login_sessions SET browser_uid = $1 WHERE id = $2", [browserUid, sessionId]);
    });
  }

  /** revokeAuthenticationCookie: the browser names no login session any more (the session itself stays). */
  async clearBrowserLogin(browserUid: string): Promise<void> {
    await this.db.query("UPDATE hydra_login_sessions SET browser_uid = NULL WHERE browser_uid = $1", [browserUid]);
  }

  /**
   * Hydra's DeleteLoginSession (by id, or the one a browser's cookie names:
   * revokeAuthenticationSession) or RevokeSubjectLoginSession (by subject). Consents given in it keep no login session id, as
   * hydra_oauth2_flow.login_session_id is ON DELETE SET NULL. Returns what
   * was deleted, with the oidc-provider session of the browser that named it.
   */
  async deleteLogins(filter: { sessionId: string } | { subject: string } | { browserUid: string }): Promise<DeletedLogin[]> {
    const [column, value] =
      "sessionId" in filter
        ? ["id", filter.sessionId]
        : "subject" in filter
          ? ["subject", filter.subject]
          : ["browser_uid", filter.browserUid];
    if (!isStorableText(value)) return [];
    const result = await this.db.query<{ id: string; subject: string; browser_uid: string | null }>(
      `WITH deleted AS (DELETE FROM hydra_login_sessions WHERE ${column} = $1 RETURNING id, subject, browser_uid),
            detached AS (UPDATE hydra_consent_sessions SET login_session_id = NULL WHERE login_session_id IN (SELECT id FROM deleted))
       SELECT id, subject, browser_uid FROM deleted`,
      [value],
    );
    return result.rows.map((row) => ({ id: row.id, subject: row.subject, browserUid: row.browser_uid }));
  }

  /**
   * Hydra's listUserAuthenticatedClients: the clients the subject consented
   * to in this login session (their logout URIs are the caller's to check).
   */
  async clientsOfLoginSession(subject: string, sessionId: string): Promise<string[]> {
    if (!isStorableText(subject) || !isStorableText(sessionId)) return [];
    const result = await this.db.query<{ client_id: string }>(
      `SELECT DISTINCT client_id FROM hydra_consent_sessions WHERE subject = $1 AND login_session_id = $2 ORDER BY client_id`,
      [subject, sessionId],
    );
    return result.rows.map((row) => row.client_id);
  }

  async saveConsent(record: Omit<ConsentSessionRecord, "handledAt">, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO hydra_consent_sessions (grant_id, subject, client_id, login_session_id, challenge, grant_scope,
         grant_audience, session, context, consent_request, remember, remember_for, expires_at, login_requested_at,
         login_authenticated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() + make_interval(secs => $13::int), $14, $15)`,
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
        record.loginRequestedAt,
        record.loginAuthenticatedAt,
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
