import Link from "next/link";
import type { DashboardStats } from "../stats";
import { ChartFigure } from "../charts/chart-figure";
import { COLORS } from "../charts/chart-types";
import { CapNote, count, Figure, percent, ShareBar } from "./figure";

/** The headline totals, each a link to the page listing them. */
export function TotalsWidget({ stats }: { stats: DashboardStats }) {
  const totals: [string, number, string, boolean][] = [
    ["Identities", stats.totals.identities, "/identities", stats.capped.identities],
    ["Active sessions", stats.totals.activeSessions, "/sessions", stats.capped.sessions],
    ["OAuth2 clients", stats.totals.oauth2Clients, "/oauth2-clients", stats.capped.clients],
    ["Messages failed", stats.totals.failedMessages, "/courier?status=abandoned", stats.capped.messages],
  ];
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="totals">
      {totals.map(([label, value, href, capped]) => (
        <Link key={label} href={href} className="rounded-md border border-slate-200 p-3 hover:border-brand">
          <p className="text-sm text-slate-600">{label}</p>
          <p className="text-3xl font-semibold tabular-nums" data-testid={`total-${label.toLowerCase().replace(/\s+/g, "-")}`}>
            {count(value)}
            {capped ? "+" : ""}
          </p>
        </Link>
      ))}
    </div>
  );
}

export function ActiveUsersWidget({ stats }: { stats: DashboardStats }) {
  const { last7Days, last30Days } = stats.activeUsers;
  const of = stats.totals.identities;
  return (
    <>
      <div className="grid grid-cols-2 gap-4">
        <Figure
          label="Last 7 days"
          value={count(last7Days)}
          testId="active-users-7"
          detail={of > 0 ? `${percent(last7Days / of)} of identities` : undefined}
        />
        <Figure
          label="Last 30 days"
          value={count(last30Days)}
          testId="active-users-30"
          detail={of > 0 ? `${percent(last30Days / of)} of identities` : undefined}
        />
      </div>
      <p className="mt-3 text-xs text-slate-500">Distinct identities with a session signed in within the window.</p>
      {stats.capped.sessions && (
        <CapNote>Counted over the newest {count(stats.limits.sessions)} sessions only; the real figures may be higher.</CapNote>
      )}
    </>
  );
}

export function VerificationWidget({ stats }: { stats: DashboardStats }) {
  const { verified, total, rate } = stats.verification;
  return (
    <>
      <Figure
        label="Verified addresses"
        value={percent(rate)}
        testId="verification-rate"
        detail={`${count(verified)} of ${count(total)} verifiable addresses are verified.`}
      />
      <ShareBar share={rate} label="Verified share of verifiable addresses" />
      {stats.capped.identities && <CapNote>Over the first {count(stats.limits.identities)} identities listed only.</CapNote>}
    </>
  );
}

const METHOD_NAMES = { totp: "Authenticator app (TOTP)", webauthn: "Security key (WebAuthn)", lookup_secret: "Backup codes" } as const;

export function MfaWidget({ stats }: { stats: DashboardStats }) {
  const { mfa } = stats;
  return (
    <>
      <Figure
        label="Identities with a second factor"
        value={percent(mfa.rate)}
        testId="mfa-adoption"
        detail={`${count(mfa.withMfa)} of ${count(mfa.identities)} identities.`}
      />
      <ChartFigure
        caption="Identities per second-factor method"
        data={mfa.byMethod.map((m) => ({ label: METHOD_NAMES[m.method], identities: m.identities }))}
        series={[{ key: "identities", name: "Identities", color: COLORS.tertiary }]}
        xLabel="Identities"
        yLabel="Method"
        horizontal
        height={150}
      />
      {stats.capped.identities && (
        <CapNote>Over the first {count(stats.limits.identities)} identities listed only: the dashboard stops there.</CapNote>
      )}
    </>
  );
}
