import type { DashboardStats } from "../stats";
import { ChartFigure } from "../charts/chart-figure";
import { COLORS } from "../charts/chart-types";
import { CapNote, count } from "./figure";

export function UsersBySchemaWidget({ stats }: { stats: DashboardStats }) {
  if (stats.usersBySchema.length === 0) return <p className="text-sm text-slate-600">No identities yet.</p>;
  return (
    <>
      <ChartFigure
        caption={`Identities per identity schema (${count(stats.totals.identities)} in all)`}
        data={stats.usersBySchema.map((s) => ({ label: s.schema, identities: s.count }))}
        series={[{ key: "identities", name: "Identities", color: COLORS.primary }]}
        xLabel="Identities"
        yLabel="Schema"
        horizontal
        height={Math.max(120, 44 * stats.usersBySchema.length + 50)}
      />
      {stats.capped.identities && <CapNote>Over the first {count(stats.limits.identities)} identities listed only.</CapNote>}
    </>
  );
}

export function PeakHoursWidget({ stats }: { stats: DashboardStats }) {
  const total = stats.peakHours.reduce((n, h) => n + h.signIns, 0);
  const peak = stats.peakHours.reduce((best, h) => (h.signIns > best.signIns ? h : best), { hour: 0, signIns: 0 });
  const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return (
    <>
      <ChartFigure
        caption={
          total === 0
            ? "Sign-ins by hour of day (UTC), last 30 days: none yet"
            : `Sign-ins by hour of day (UTC), last 30 days: ${count(total)} in all, most at ${hour(peak.hour)}–${hour((peak.hour + 1) % 24)} (${count(peak.signIns)})`
        }
        data={stats.peakHours.map((h) => ({ label: hour(h.hour), signIns: h.signIns }))}
        series={[{ key: "signIns", name: "Sign-ins", color: COLORS.primary }]}
        xLabel="Hour of day (UTC)"
        yLabel="Sign-ins"
        height={260}
      />
      {stats.capped.sessions && <CapNote>From the newest {count(stats.limits.sessions)} sessions only.</CapNote>}
    </>
  );
}

const GRANT_NAMES: Record<string, string> = {
  authorization_code: "Authorization code",
  refresh_token: "Refresh token",
  client_credentials: "Client credentials",
  implicit: "Implicit",
  "urn:ietf:params:oauth:grant-type:device_code": "Device code",
  "urn:ietf:params:oauth:grant-type:jwt-bearer": "JWT bearer",
};

export function GrantTypesWidget({ stats }: { stats: DashboardStats }) {
  if (stats.grantTypes.length === 0) return <p className="text-sm text-slate-600">No OAuth2 clients yet.</p>;
  return (
    <>
      <ChartFigure
        caption={`OAuth2 clients allowed each grant type (${count(stats.totals.oauth2Clients)} clients; one may allow several)`}
        data={stats.grantTypes.map((g) => ({ label: GRANT_NAMES[g.grantType] ?? g.grantType, clients: g.clients }))}
        series={[{ key: "clients", name: "Clients", color: COLORS.secondary }]}
        xLabel="Clients"
        yLabel="Grant type"
        horizontal
        height={Math.max(120, 44 * stats.grantTypes.length + 50)}
      />
      {stats.capped.clients && <CapNote>Over the first {count(stats.limits.clients)} clients listed only.</CapNote>}
    </>
  );
}
