import "server-only";
import { kratosAdmin, hydraAdmin } from "@/shared/server/ory";

export interface DayCount {
  day: string;
  count: number;
}

export interface DashboardStats {
  computedAt: Date;
  identities: number;
  activeSessions: number;
  oauth2Clients: number;
  failedMessages: number;
  signUpsPerDay: DayCount[];
  signInsPerDay: DayCount[];
  /** Share of identities with at least one verified address, 0..1 (null with no identities). */
  verificationRate: number | null;
  verifiedPerDay: { day: string; rate: number | null }[];
  /** Scans stop here; totals above it are shown as "at least". */
  truncated: boolean;
}

export const CHART_DAYS = 14;
const SCAN_LIMIT = 250_000;
const PAGE = 1000;
const FRESH_MS = 2 * 60_000;

function lastDays(now: Date): string[] {
  return Array.from({ length: CHART_DAYS }, (_, i) =>
    new Date(now.getTime() - (CHART_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

async function compute(): Promise<DashboardStats> {
  const now = new Date();
  const days = lastDays(now);
  const signUps = new Map(days.map((d) => [d, 0]));
  const verifiedByDay = new Map(days.map((d) => [d, { verified: 0, total: 0 }]));
  const signIns = new Map(days.map((d) => [d, 0]));
  const kratos = kratosAdmin();

  let identities = 0;
  let verified = 0;
  let truncated = false;
  let token: string | undefined;
  do {
    const page = await kratos.listIdentities({ pageSize: PAGE, pageToken: token });
    for (const identity of page.items) {
      identities++;
      const isVerified = (identity.verifiable_addresses ?? []).some((a) => a.verified);
      if (isVerified) verified++;
      const day = identity.created_at?.slice(0, 10);
      if (day && signUps.has(day)) {
        signUps.set(day, (signUps.get(day) ?? 0) + 1);
        const bucket = verifiedByDay.get(day);
        if (bucket) {
          bucket.total++;
          if (isVerified) bucket.verified++;
        }
      }
    }
    token = page.nextPageToken;
    if (identities >= SCAN_LIMIT) truncated = Boolean(token);
  } while (token && identities < SCAN_LIMIT);

  let activeSessions = 0;
  let scannedSessions = 0;
  token = undefined;
  do {
    const page = await kratos.listSessions({ pageSize: PAGE, pageToken: token });
    for (const session of page.items) {
      scannedSessions++;
      if (session.active) activeSessions++;
      const day = session.authenticated_at?.slice(0, 10);
      if (day && signIns.has(day)) signIns.set(day, (signIns.get(day) ?? 0) + 1);
    }
    token = page.nextPageToken;
  } while (token && scannedSessions < SCAN_LIMIT);

  let oauth2Clients = 0;
  token = undefined;
  do {
    const page = await hydraAdmin().listClients({ pageSize: 500, pageToken: token });
    oauth2Clients += page.items.length;
    token = page.nextPageToken;
  } while (token);

  let failedMessages = 0;
  token = undefined;
  do {
    const page = await kratos.listCourierMessages({ pageSize: PAGE, pageToken: token, status: "abandoned" });
    failedMessages += page.items.length;
    token = page.nextPageToken;
  } while (token && failedMessages < SCAN_LIMIT);

  return {
    computedAt: now,
    identities,
    activeSessions,
    oauth2Clients,
    failedMessages,
    signUpsPerDay: days.map((day) => ({ day, count: signUps.get(day) ?? 0 })),
    signInsPerDay: days.map((day) => ({ day, count: signIns.get(day) ?? 0 })),
    verificationRate: identities > 0 ? verified / identities : null,
    verifiedPerDay: days.map((day) => {
      const b = verifiedByDay.get(day);
      return { day, rate: b && b.total > 0 ? b.verified / b.total : null };
    }),
    truncated,
  };
}

let cached: DashboardStats | undefined;
let inFlight: Promise<DashboardStats> | undefined;

/**
 * The dashboard's numbers, from Kratos' and Hydra's admin APIs (Athena has
 * no database access to either). Scanning is bounded and cached for two
 * minutes per process; a stale result is served while a fresh one is computed.
 */
export async function dashboardStats(): Promise<DashboardStats> {
  const fresh = cached && Date.now() - cached.computedAt.getTime() < FRESH_MS;
  if (fresh && cached) return cached;
  inFlight ??= compute().finally(() => {
    inFlight = undefined;
  });
  const running = inFlight.then((stats) => (cached = stats));
  return cached ?? running;
}
