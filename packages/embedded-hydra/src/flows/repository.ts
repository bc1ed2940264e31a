import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../storage/db";

export type FlowKind = "login" | "consent" | "logout";
export type FlowState = "pending" | "accepted" | "rejected" | "used";
type Decision = "accepted" | "rejected";

export interface Flow<Request = Record<string, unknown>, Handled = Record<string, unknown>> {
  challenge: string;
  kind: FlowKind;
  state: FlowState;
  verifier: string | null;
  interactionUid: string | null;
  subject: string | null;
  clientId: string | null;
  /** The CSRF value set as a cookie in the browser that was sent to the login/consent UI (Hydra's LoginCSRF/ConsentCSRF). */
  csrf: string | null;
  request: Request;
  handled: Handled | null;
  requestedAt: Date;
  expiresAt: Date;
}

/** A flow whose verifier was just redeemed (now `used`), with the decision it carried. */
export type RedeemedFlow = Flow & { decision: Decision };

type FlowRow = {
  challenge: string;
  kind: FlowKind;
  state: FlowState;
  verifier: string | null;
  interaction_uid: string | null;
  subject: string | null;
  client_id: string | null;
  csrf: string | null;
  request: Record<string, unknown>;
  handled: Record<string, unknown> | null;
  requested_at: Date;
  expires_at: Date;
};

function fromRow(row: FlowRow): Flow {
  return {
    challenge: row.challenge,
    kind: row.kind,
    state: row.state,
    verifier: row.verifier,
    interactionUid: row.interaction_uid,
    subject: row.subject,
    clientId: row.client_id,
    csrf: row.csrf,
    request: row.request,
    handled: row.handled,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
  };
}

/**
 * A logout request of a client that was deleted since is gone: Hydra's
 * hydra_oauth2_logout_request.client_id references the client ON DELETE CASCADE.
 */
const LOGOUT_CLIENT_KEPT = "(client_id IS NULL OR EXISTS (SELECT 1 FROM hydra_clients c WHERE c.id = hydra_flows.client_id))";

/** An unguessable, URL-safe identifier for login and consent challenges and verifiers (logout uses UUIDs, as Hydra). */
export function randomToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Login, consent and logout requests awaiting (or past) the UI's decision. */
export class FlowRepository {
  constructor(private readonly db: Db) {}

  async create(input: {
    kind: FlowKind;
    interactionUid?: string;
    subject?: string;
    clientId?: string;
    csrf?: string;
    request: Record<string, unknown>;
    ttlSeconds: number;
  }): Promise<string> {
    // Hydra v26.2 stores logout requests under a random UUID (issueLogoutVerifier's uuid.New()).
    const challenge = input.kind === "logout" ? randomUUID() : randomToken();
    await this.db.query(
      `INSERT INTO hydra_flows (challenge, kind, state, interaction_uid, subject, client_id, csrf, request, expires_at)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, now() + make_interval(secs => $8::int))`,
      [
        challenge,
        input.kind,
        input.interactionUid ?? null,
        input.subject ?? null,
        input.clientId ?? null,
        input.csrf ?? null,
        JSON.stringify(input.request),
        input.ttlSeconds,
      ],
    );
    return challenge;
  }

  /** A challenge, also past its expiry (Hydra tells an expired challenge from an unknown one) until the cleanup deletes it. */
  async get(kind: FlowKind, challenge: string): Promise<Flow | undefined> {
    const result = await this.db.query<FlowRow>("SELECT * FROM hydra_flows WHERE challenge = $1 AND kind = $2", [challenge, kind]);
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /**
   * Records a decision of the UI and the verifier handed out for it. As
   * Hydra's challenge is the flow as first encoded, a login or consent
   * challenge takes any number of decisions until it expires, each verifier
   * staying valid (useVerifier); false once the challenge expired. The
   * `verifier` column keeps the latest one for the device flow (redeem).
   */
  async decide(challenge: string, state: "accepted" | "rejected", handled: Record<string, unknown>, verifier: string): Promise<boolean> {
    const result = await this.db.query(
      `WITH decided AS (
         UPDATE hydra_flows
         SET state = CASE WHEN state = 'used' THEN state ELSE $2 END, handled = $3,
             verifier = CASE WHEN state = 'used' THEN verifier ELSE $4 END
         WHERE challenge = $1 AND kind IN ('login', 'consent') AND expires_at > now()
         RETURNING challenge
       )
       INSERT INTO hydra_flow_verifiers (verifier, challenge, decision, handled)
       SELECT $4, challenge, $2, $3 FROM decided`,
      [challenge, state, JSON.stringify(handled), verifier],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * flow/flow_encoding.go decodeVerifier for a browser authorization: the
   * flow with the decision this verifier was handed out for, as often as it
   * is followed, also past its expiry (which the caller answers, as Hydra's
   * decodeFlow) until the cleanup deletes it. Whether it may still take
   * effect is the caller's (a consent: claimConsent).
   */
  async useVerifier(kind: "login" | "consent", verifier: string): Promise<RedeemedFlow | undefined> {
    const result = await this.db.query<FlowRow & { decision: Decision; decided: Record<string, unknown> }>(
      `SELECT f.*, v.decision, v.handled AS decided
       FROM hydra_flow_verifiers v JOIN hydra_flows f ON f.challenge = v.challenge
       WHERE v.verifier = $1 AND f.kind = $2`,
      [verifier, kind],
    );
    const row = result.rows[0];
    return row ? { ...fromRow(row), handled: row.decided, decision: row.decision } : undefined;
  }

  /**
   * Hydra's CreateConsentSession inserts the flow under its login challenge:
   * the first accepted consent verifier of a login wins, any later one (of
   * this consent challenge or of another one the same login verifier opened)
   * meets the unique key. True for the winner, which marks its flow `used`.
   */
  async claimConsent(flow: Flow): Promise<boolean> {
    const loginChallenge = typeof flow.request.login_challenge === "string" ? flow.request.login_challenge : "";
    return this.db.transaction(async (tx) => {
      // Serialises claims of one login's consents (each consent challenge is a row of its own).
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hydra-consent:${loginChallenge || flow.challenge}`]);
      const result = await tx.query(
        `UPDATE hydra_flows SET state = 'used'
         WHERE challenge = $1 AND kind = 'consent' AND state <> 'used'
           AND NOT EXISTS (
             SELECT 1 FROM hydra_flows other
             WHERE $2 <> '' AND other.kind = 'consent' AND other.state = 'used' AND other.request->>'login_challenge' = $2
           )`,
        [flow.challenge, loginChallenge],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  /**
   * Ends a flow whose verifier was followed in a browser that does not hold
   * its CSRF cookie: its CSRF value is dropped, so no browser's cookie
   * matches it any more and none of its verifiers, earlier or later, can be
   * accepted anywhere (stricter than Hydra, see public/verifiers.ts).
   */
  async spoil(challenge: string): Promise<void> {
    await this.db.query("UPDATE hydra_flows SET csrf = NULL WHERE challenge = $1", [challenge]);
  }

  // Logout requests keep Hydra v26.2's stored state (persistence/sql/persister_consent.go): `state` is
  // pending/accepted/rejected and `handled.was_used` is Hydra's was_used, which a later accept or reject
  // leaves as it is. Their expiry is only looked at when the verifier is redeemed (public/logout.ts).

  /** GetLogoutRequest: a logout request unless it was rejected (`rejected = FALSE`). */
  async readableLogout(challenge: string): Promise<Flow | undefined> {
    const result = await this.db.query<FlowRow>(
      `SELECT * FROM hydra_flows WHERE challenge = $1 AND kind = 'logout' AND state <> 'rejected' AND ${LOGOUT_CLIENT_KEPT}`,
      [challenge],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /**
   * AcceptLogoutRequest: accepted (also after a rejection or a redemption);
   * the verifier is chosen once, so every accept hands out the same one.
   */
  async acceptLogout(challenge: string, verifier: string): Promise<Flow | undefined> {
    const result = await this.db.query<FlowRow>(
      `UPDATE hydra_flows SET state = 'accepted', verifier = COALESCE(verifier, $2)
       WHERE challenge = $1 AND kind = 'logout' AND ${LOGOUT_CLIENT_KEPT} RETURNING *`,
      [challenge, verifier],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /** RejectLogoutRequest: false when there is no such request (also when it was rejected before: that is found). */
  async rejectLogout(challenge: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE hydra_flows SET state = 'rejected' WHERE challenge = $1 AND kind = 'logout' AND ${LOGOUT_CLIENT_KEPT}`,
      [challenge],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * VerifyAndInvalidateLogoutRequest: marks an accepted request's verifier as
   * used and returns the request; an earlier use does not stop it, and the
   * caller checks the expiry afterwards, as Hydra does.
   */
  async useLogoutVerifier(verifier: string): Promise<Flow | undefined> {
    const result = await this.db.query<FlowRow>(
      `UPDATE hydra_flows SET handled = COALESCE(handled, '{}'::jsonb) || '{"was_used": true}'::jsonb
       WHERE verifier = $1 AND kind = 'logout' AND state = 'accepted' AND ${LOGOUT_CLIENT_KEPT} RETURNING *`,
      [verifier],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  /** Redeems a verifier exactly once; says whether the UI had accepted or rejected the request. */
  async redeem(kind: FlowKind, verifier: string): Promise<RedeemedFlow | undefined> {
    const result = await this.db.query<FlowRow & { decision: Decision }>(
      `WITH decided AS (
         SELECT challenge, state FROM hydra_flows
         WHERE verifier = $1 AND kind = $2 AND state IN ('accepted', 'rejected') AND expires_at > now()
         FOR UPDATE
       )
       UPDATE hydra_flows AS f SET state = 'used' FROM decided
       WHERE f.challenge = decided.challenge AND f.state = decided.state
       RETURNING f.*, decided.state AS decision`,
      [verifier, kind],
    );
    const row = result.rows[0];
    return row ? { ...fromRow(row), decision: row.decision } : undefined;
  }
}
