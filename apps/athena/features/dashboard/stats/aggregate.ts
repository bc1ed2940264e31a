import type { Identity, OAuth2Client, Session } from "@olympus/ory-client/admin";

/**
 * The dashboard's figures, computed from what Kratos' and Hydra's admin APIs
 * return. Pure functions over already-fetched items, so the arithmetic is
 * testable with any clock; collect.ts decides how much is fetched. Days and
 * hours are UTC, and say so on the page.
 */

const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;
/** The second factors MFA adoption counts (Kratos credential types). */
export const MFA_METHODS = ["totp", "webauthn", "lookup_secret"] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

export interface DailyPoint {
  /** YYYY-MM-DD, UTC. */
  day: string;
  signUps: number;
  signIns: number;
}

/** The last `days` UTC days, oldest first, ending with today. */
export function lastDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => new Date(now.getTime() - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

const time = (value: string | undefined | null): number | undefined => {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

/** Identities created (sign-ups) and sessions authenticated (sign-ins) per UTC day over the last CHART_DAYS days. */
export function dailySeries(identities: readonly Identity[], sessions: readonly Session[], now: Date): DailyPoint[] {
  const days = lastDays(now, CHART_DAYS);
  const points = new Map(days.map((day) => [day, { day, signUps: 0, signIns: 0 }]));
  for (const identity of identities) {
    const point = points.get(identity.created_at?.slice(0, 10) ?? "");
    if (point) point.signUps++;
  }
  for (const session of sessions) {
    const point = points.get(session.authenticated_at?.slice(0, 10) ?? "");
    if (point) point.signIns++;
  }
  return days.map((day) => points.get(day) ?? { day, signUps: 0, signIns: 0 });
}

/** Distinct identities with a session authenticated within the last `days` days (Kratos' authenticated_at). */
export function activeUsers(sessions: readonly Session[], now: Date, days: number): number {
  const since = now.getTime() - days * DAY_MS;
  const ids = new Set<string>();
  for (const session of sessions) {
    const at = time(session.authenticated_at);
    const id = session.identity?.id;
    if (id && at !== undefined && at >= since && at <= now.getTime()) ids.add(id);
  }
  return ids.size;
}

/** Sign-ins of the last CHART_DAYS days by UTC hour of day, 0-23. */
export function peakHours(sessions: readonly Session[], now: Date): { hour: number; signIns: number }[] {
  const since = now.getTime() - CHART_DAYS * DAY_MS;
  const counts = Array.from({ length: 24 }, () => 0);
  for (const session of sessions) {
    const at = time(session.authenticated_at);
    if (at === undefined || at < since || at > now.getTime()) continue;
    const hour = new Date(at).getUTCHours();
    counts[hour] = (counts[hour] ?? 0) + 1;
  }
  return counts.map((signIns, hour) => ({ hour, signIns }));
}

/** Identities per identity schema, most first (ties by name). */
export function usersBySchema(identities: readonly Identity[]): { schema: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const identity of identities) counts.set(identity.schema_id, (counts.get(identity.schema_id) ?? 0) + 1);
  return [...counts].map(([schema, count]) => ({ schema, count })).sort((a, b) => b.count - a.count || a.schema.localeCompare(b.schema));
}

/** Verifiable addresses that are verified, of all verifiable addresses; no rate without addresses. */
export function verification(identities: readonly Identity[]): { verified: number; total: number; rate: number | null } {
  let verified = 0;
  let total = 0;
  for (const identity of identities) {
    for (const address of identity.verifiable_addresses ?? []) {
      total++;
      if (address.verified) verified++;
    }
  }
  return { verified, total, rate: total > 0 ? verified / total : null };
}

export interface MfaAdoption {
  /** Identities counted: every identity listed, up to the identity scan's cap. */
  identities: number;
  withMfa: number;
  rate: number | null;
  byMethod: { method: MfaMethod; identities: number }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Whether a credential of an MFA method is a second factor. TOTP and backup
 * codes exist only once set up; a `webauthn` credential exists for every
 * identity whose schema names a webauthn identifier (Kratos'
 * identity/extension_credentials.go), so it counts only with a key that is
 * not passwordless, as Kratos' webauthn strategy counts multi-factor keys
 * (strategy.go CountActiveMultiFactorCredentials) — which needs its config.
 */
function isSecondFactor(method: MfaMethod, credential: unknown): boolean {
  if (method !== "webauthn") return true;
  const config = isRecord(credential) ? credential.config : undefined;
  const keys = isRecord(config) && Array.isArray(config.credentials) ? config.credentials : [];
  return keys.some((key) => isRecord(key) && key.is_passwordless !== true);
}

/** Identities holding a second-factor credential, from identities read with their credentials (the webauthn config included). */
export function mfaAdoption(identities: readonly Pick<Identity, "credentials">[]): MfaAdoption {
  const byMethod = new Map<MfaMethod, number>(MFA_METHODS.map((m) => [m, 0]));
  let withMfa = 0;
  for (const identity of identities) {
    const credentials = identity.credentials ?? {};
    const types = Object.keys(credentials).filter(
      (t): t is MfaMethod => (MFA_METHODS as readonly string[]).includes(t) && isSecondFactor(t as MfaMethod, credentials[t]),
    );
    if (types.length > 0) withMfa++;
    for (const t of types) byMethod.set(t, (byMethod.get(t) ?? 0) + 1);
  }
  return {
    identities: identities.length,
    withMfa,
    rate: identities.length > 0 ? withMfa / identities.length : null,
    byMethod: MFA_METHODS.map((method) => ({ method, identities: byMethod.get(method) ?? 0 })),
  };
}

/**
 * OAuth2 clients per grant type; a client counts under each type it may use.
 * No grant types means authorization_code only, as Hydra reads it
 * (client/client.go, GetGrantTypes).
 */
export function clientsByGrantType(clients: readonly Pick<OAuth2Client, "grant_types">[]): { grantType: string; clients: number }[] {
  const counts = new Map<string, number>();
  for (const client of clients) {
    const types = client.grant_types && client.grant_types.length > 0 ? new Set(client.grant_types) : new Set(["authorization_code"]);
    for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts]
    .map(([grantType, n]) => ({ grantType, clients: n }))
    .sort((a, b) => b.clients - a.clients || a.grantType.localeCompare(b.grantType));
}

export interface RecentSignIn {
  sessionId: string;
  at: string;
  identityId: string | null;
  /** The identity's email or username trait, when its schema has one. */
  who: string | null;
  methods: string[];
}

/** The newest `limit` sign-ins (sessions by authenticated_at). */
export function recentSignIns(sessions: readonly Session[], limit: number): RecentSignIn[] {
  return sessions
    .flatMap((session) => {
      const at = time(session.authenticated_at);
      return at === undefined ? [] : [{ session, at }];
    })
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map(({ session, at }) => ({
      sessionId: session.id,
      at: new Date(at).toISOString(),
      identityId: session.identity?.id ?? null,
      who: identifierOf(session.identity?.traits),
      methods: [...new Set((session.authentication_methods ?? []).flatMap((m) => (m.method ? [m.method] : [])))],
    }));
}

function identifierOf(traits: unknown): string | null {
  if (typeof traits !== "object" || traits === null) return null;
  const record = traits as Record<string, unknown>;
  for (const key of ["email", "username", "phone"]) {
    const value = record[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return null;
}
