import type { AdapterPayload } from "oidc-provider";
import { BatchedLookup } from "@olympus/server-kit/batched-lookup";
import { isStorableText } from "@olympus/server-kit/text";
import type { Db } from "./db";

/** The token kinds introspection answers for. */
export type IntrospectedModel = "AccessToken" | "ClientCredentials" | "RefreshToken";

/** Everything introspection needs about one token value, read in one round trip. */
export interface TokenRecord {
  model: IntrospectedModel;
  /** The stored payload as the adapter hands it to oidc-provider (`consumed` set when it was). */
  payload: AdapterPayload;
  /** The token's client still exists. */
  clientExists: boolean;
  /** The live Session the token is bound to, for a token that expires with its session. */
  session: AdapterPayload | undefined;
  /** The consent that granted the token's grant, if the token has a grant and it still exists. */
  consent: { grantAudience: string[]; accessTokenSession: Record<string, unknown> } | undefined;
}

type Row = {
  id: string;
  model: IntrospectedModel;
  payload: AdapterPayload;
  consumed_at: Date | null;
  client_exists: boolean;
  session_payload: AdapterPayload | null;
  consent_found: boolean;
  grant_audience: string[] | null;
  consent_session: { access_token?: Record<string, unknown> } | null;
};

/**
 * One statement (for a batch of ids) answers what used to take up to five round trips (which
 * model, the payload, the client, the bound session, the consent): the
 * token row (live, one of the three kinds), whether its client exists, the
 * live Session it may be bound to (oidc-provider's checkSessionBinding
 * reads it by uid) and the consent of its grant.
 */
export const TOKEN_LOOKUP_SQL = `
SELECT t.id, t.model, t.payload, t.consumed_at,
       EXISTS (SELECT 1 FROM hydra_clients cl WHERE cl.id = t.payload->>'clientId') AS client_exists,
       s.payload AS session_payload,
       c.grant_id IS NOT NULL AS consent_found, c.grant_audience, c.session AS consent_session
  FROM oidc_payloads t
  LEFT JOIN hydra_consent_sessions c ON c.grant_id = t.grant_id
  LEFT JOIN LATERAL (
    SELECT p.payload FROM oidc_payloads p
     WHERE (t.payload->>'expiresWithSession')::boolean AND p.model = 'Session' AND p.uid = t.payload->>'sessionUid'
       AND (p.expires_at IS NULL OR p.expires_at > now())
     LIMIT 1
  ) s ON true
 WHERE t.id = ANY($1::text[]) AND t.model IN ('AccessToken', 'ClientCredentials', 'RefreshToken')
   AND (t.expires_at IS NULL OR t.expires_at > now())`;

export const TOKEN_LOOKUP_STATEMENT = "hydra_introspection_lookup";

function toRecord(row: Row): TokenRecord {
  return {
    model: row.model,
    payload: row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload,
    clientExists: row.client_exists,
    session: row.session_payload ?? undefined,
    consent: row.consent_found
      ? { grantAudience: row.grant_audience ?? [], accessTokenSession: row.consent_session?.access_token ?? {} }
      : undefined,
  };
}

/** Token lookups for introspection, batched across concurrent requests (server-kit batched-lookup). */
export class TokenLookup {
  private readonly batches: BatchedLookup<TokenRecord>;

  constructor(db: Db) {
    this.batches = new BatchedLookup(
      async (ids) => {
        const { rows } = await db.prepared<Row>(TOKEN_LOOKUP_STATEMENT, TOKEN_LOOKUP_SQL, [ids]);
        const found = new Map<string, TokenRecord>();
        // Two kinds never share an id (random, 256 bits); were they to, the first row answers, as the model lookup did.
        for (const row of rows) if (!found.has(row.id)) found.set(row.id, toRecord(row));
        return found;
      },
      { maxBatch: 256, maxInFlight: 4 },
    );
  }

  /** The live token stored under this value, or undefined. */
  find(value: string): Promise<TokenRecord | undefined> {
    // What Postgres cannot store was never issued.
    if (!isStorableText(value)) return Promise.resolve(undefined);
    return this.batches.load(value);
  }
}
