import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../storage/db";
import { VerifierSeal, type VerifierKind } from "./sealed-verifier";

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

/** A flow whose verifier was just redeemed, with the decision it carried. */
export type RedeemedFlow = Flow & { decision: Decision };

/**
 * flow/flow_encoding.go decodeVerifier's outcomes: the flow, or its expiry
 * ("The … request has expired"), or not a verifier of this kind at all
 * ("… has already been used, has not been granted, or is invalid.").
 */
export type VerifierUse = { outcome: "valid"; flow: RedeemedFlow } | { outcome: "expired" } | { outcome: "invalid" };

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

/**
 * When a login request or device challenge made now expires: Hydra's
 * RequestedAt is the time it is made, truncated to the second
 * (consent/strategy_default.go forwardAuthenticationRequest,
 * forwardDeviceRequest), and flow/flow_encoding.go decodeFlow refuses the
 * flow after RequestedAt + ttl.login_consent_request.
 */
export function flowExpiry(ttlSeconds: number, now = Date.now()): Date {
  return new Date(Math.floor(now / 1000) * 1000 + ttlSeconds * 1000);
}

/** An unguessable, URL-safe value (the flows' CSRF values; challenges and verifiers are sealed, logout ids UUIDs as in Hydra). */
export function randomToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Login, consent and logout requests awaiting (or past) the UI's decision. */
export class FlowRepository {
  private readonly seal: VerifierSeal;

  /** `systemSecrets` key the verifiers' sealed expiry (sealed-verifier.ts). */
  constructor(
    private readonly db: Db,
    systemSecrets?: readonly string[],
  ) {
    this.seal = new VerifierSeal(systemSecrets);
  }

  /** A verifier for a decision on a login, consent or device flow expiring at `expiresAt`, which it carries (sealed-verifier.ts). */
  newVerifier(kind: VerifierKind, expiresAt: Date): string {
    return this.seal.issue(kind, expiresAt);
  }

  /**
   * The expiry a login or consent challenge issued here carries (undefined
   * for text never issued as one): flow/flow_encoding.go decodeFlow answers
   * an expired challenge "expired" however long ago, also once the cleanup
   * deleted its flow.
   */
  issuedChallengeExpiry(kind: "login" | "consent", challenge: string): Date | undefined {
    return this.seal.expiry(`${kind}_challenge`, challenge);
  }

  /** The expiry a verifier of this kind issued here carries; undefined for text never issued as one. */
  issuedVerifierExpiry(kind: VerifierKind, verifier: string): Date | undefined {
    return this.seal.expiry(kind, verifier);
  }

  /** A flow living `ttlSeconds` from now, or until `expiresAt` (a consent request expires with its login request). */
  async create(
    input: {
      kind: FlowKind;
      interactionUid?: string;
      subject?: string;
      clientId?: string;
      csrf?: string;
      request: Record<string, unknown>;
    } & ({ ttlSeconds: number } | { expiresAt: Date }),
  ): Promise<string> {
    const expiresAt = "expiresAt" in input ? input.expiresAt : new Date(Date.now() + input.ttlSeconds * 1000);
    // Hydra v26.2 stores logout requests under a random UUID (issueLogoutVerifier's uuid.New()); login and consent
    // challenges carry their expiry as the verifiers do (issuedChallengeExpiry).
    const challenge = input.kind === "logout" ? randomUUID() : this.seal.issue(`${input.kind}_challenge`, expiresAt);
    await this.db.query(
      `INSERT INTO hydra_flows (challenge, kind, state, interaction_uid, subject, client_id, csrf, request, expires_at)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8)`,
      [
        challenge,
        input.kind,
        input.interactionUid ?? null,
        input.subject ?? null,
        input.clientId ?? null,
        input.csrf ?? null,
        JSON.stringify(input.request),
        expiresAt,
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
   * staying valid (useVerifier); false once the challenge expired.
   */
  async decide(challenge: string, state: "accepted" | "rejected", handled: Record<string, unknown>, verifier: string): Promise<boolean> {
    const result = await this.db.query(
      `WITH decided AS (
         UPDATE hydra_flows
         SET state = CASE WHEN state = 'used' THEN state ELSE $2 END, handled = $3
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
   * flow/flow_encoding.go decodeVerifier (browser and device flows): the
   * flow with the decision this verifier was handed out for, as often as it
   * is followed, until the flow expires; then, also once the cleanup deleted
   * the flow, `expired` (decodeFlow), told by the expiry the verifier
   * carries. Whether an accepted consent may still take effect is the
   * caller's (claimConsent).
   */
  async useVerifier(kind: "login" | "consent", verifier: string): Promise<VerifierUse> {
    const result = await this.db.query<FlowRow & { decision: Decision; decided: Record<string, unknown> }>(
      `SELECT f.*, v.decision, v.handled AS decided
       FROM hydra_flow_verifiers v JOIN hydra_flows f ON f.challenge = v.challenge
       WHERE v.verifier = $1 AND f.kind = $2`,
      [verifier, kind],
    );
    const row = result.rows[0];
    if (!row) {
      const sealedExpiry = this.issuedVerifierExpiry(kind, verifier);
      // Only expired flows are deleted; a sealed expiry still ahead means the flow is gone some other way.
      return sealedExpiry && sealedExpiry.getTime() <= Date.now() ? { outcome: "expired" } : { outcome: "invalid" };
    }
    if (row.expires_at.getTime() <= Date.now()) return { outcome: "expired" };
    return { outcome: "valid", flow: { ...fromRow(row), handled: row.decided, decision: row.decision } };
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
}
