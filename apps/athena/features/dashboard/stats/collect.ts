import type { HydraAdminClient, Identity, KratosAdminClient, OAuth2Client, Session } from "@olympus/ory-client/admin";
import {
  activeUsers,
  clientsByGrantType,
  dailySeries,
  mfaAdoption,
  peakHours,
  recentSignIns,
  usersBySchema,
  verification,
  type DailyPoint,
  type MfaAdoption,
  type RecentSignIn,
} from "./aggregate";

/**
 * Reads what the dashboard needs from this domain's Kratos and Hydra admin
 * APIs, each list bounded, and computes the figures. Athena has no access to
 * their databases; everything here is a page-by-page scan, so every scan
 * stops at a cap and the result says which figures rest on a capped scan.
 */
export interface ScanLimits {
  /**
   * Identities listed (sign-ups, schemas, verification, MFA adoption): the
   * cap on the dashboard's work over identities, stated on each widget that
   * rests on it when it is hit.
   */
  identities: number;
  /** Sessions listed (sign-ins, active users, peak hours); Kratos lists the newest first. */
  sessions: number;
  clients: number;
  /** Abandoned courier messages counted. */
  messages: number;
  pageSize: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  identities: 250_000,
  sessions: 100_000,
  clients: 10_000,
  messages: 100_000,
  pageSize: 1000,
};

export interface DashboardStats {
  computedAt: Date;
  totals: { identities: number; activeSessions: number; oauth2Clients: number; failedMessages: number };
  activeUsers: { last7Days: number; last30Days: number };
  /** The last 30 UTC days, oldest first; the page shows the last 7, 14 or 30. */
  daily: DailyPoint[];
  usersBySchema: { schema: string; count: number }[];
  verification: { verified: number; total: number; rate: number | null };
  mfa: MfaAdoption;
  peakHours: { hour: number; signIns: number }[];
  grantTypes: { grantType: string; clients: number }[];
  recentSignIns: RecentSignIn[];
  /** Which scans hit their cap (figures from them are "at least" / partial), and the caps. */
  capped: { identities: boolean; sessions: boolean; clients: boolean; messages: boolean };
  limits: ScanLimits;
}

export type StatsKratos = Pick<KratosAdminClient, "listIdentities" | "listSessions" | "listCourierMessages">;
export type StatsHydra = Pick<HydraAdminClient, "listClients">;

type PageOf<T> = { items: T[]; nextPageToken?: string | undefined };

/** Follows page tokens until the list ends or `cap` items are read; says whether items were left unread. */
async function scan<T>(cap: number, next: (pageToken: string | undefined) => Promise<PageOf<T>>): Promise<{ items: T[]; capped: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await next(token);
    items.push(...page.items);
    token = page.nextPageToken;
  } while (token && items.length < cap);
  return { items: items.slice(0, cap), capped: Boolean(token) || items.length > cap };
}

/**
 * Kratos lists identities without credentials unless `include_credential`
 * names a type (identity/handler.go, parseListIdentitiesParameters); then it
 * returns every credential, emptying the config of each type not named
 * (identity/identity.go, WithDeclassifiedCredentials). Naming `webauthn`
 * brings every credential's type plus the security keys' config (public
 * keys, names, whether passwordless — no secret), which tells a second
 * factor from the empty webauthn credential every identity has.
 */
const CREDENTIAL_TYPES_AND_KEYS = ["webauthn"] as const;

export async function collectDashboardStats(options: {
  kratos: StatsKratos;
  hydra: StatsHydra;
  now: Date;
  limits?: Partial<ScanLimits>;
}): Promise<DashboardStats> {
  const { kratos, hydra, now } = options;
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const page = limits.pageSize;

  const [identities, sessions, clients, messages] = await Promise.all([
    scan<Identity>(limits.identities, (pageToken) =>
      kratos.listIdentities({ pageSize: page, pageToken, includeCredential: CREDENTIAL_TYPES_AND_KEYS }),
    ),
    scan<Session>(limits.sessions, (pageToken) => kratos.listSessions({ pageSize: page, pageToken })),
    // Hydra pages clients 500 at a time at most.
    scan<OAuth2Client>(limits.clients, (pageToken) => hydra.listClients({ pageSize: Math.min(page, 500), pageToken })),
    scan(limits.messages, (pageToken) => kratos.listCourierMessages({ pageSize: page, pageToken, status: "abandoned" })),
  ]);

  return {
    computedAt: now,
    totals: {
      identities: identities.items.length,
      activeSessions: sessions.items.filter((s) => s.active).length,
      oauth2Clients: clients.items.length,
      failedMessages: messages.items.length,
    },
    activeUsers: { last7Days: activeUsers(sessions.items, now, 7), last30Days: activeUsers(sessions.items, now, 30) },
    daily: dailySeries(identities.items, sessions.items, now),
    usersBySchema: usersBySchema(identities.items),
    verification: verification(identities.items),
    mfa: mfaAdoption(identities.items),
    peakHours: peakHours(sessions.items, now),
    grantTypes: clientsByGrantType(clients.items),
    recentSignIns: recentSignIns(sessions.items, 20),
    capped: {
      identities: identities.capped,
      sessions: sessions.capped,
      clients: clients.capped,
      messages: messages.capped,
    },
    limits,
  };
}
