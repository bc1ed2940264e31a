import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ErrorNotice, PageHeader, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { athenaConfig } from "@/shared/server/config";
import { describeLoadError } from "@/shared/server/load-error";
import { olympusPool } from "@/shared/server/olympus-db";
import { recentActivity } from "./activity";
import { DashboardBoard } from "./layout/board";
import { loadLayout } from "./layout/store";
import { DEFAULT_LAYOUT, type DashboardLayout, type WidgetId } from "./layout/widgets";
import { dashboardStats, type DashboardStats } from "./stats";
import { ActivityFeed } from "./widgets/activity-feed";
import { GrantTypesWidget, PeakHoursWidget, UsersBySchemaWidget } from "./widgets/charts";
import { count } from "./widgets/figure";
import { ActiveUsersWidget, MfaWidget, TotalsWidget, VerificationWidget } from "./widgets/figures";
import { SignUpsSignInsChart } from "./widgets/sign-ups-sign-ins";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdminPage("viewer");
  const params = await searchParams;
  const { domain } = athenaConfig();
  let stats: DashboardStats | undefined;
  let error: string | undefined;
  try {
    stats = await dashboardStats();
  } catch (e) {
    error = describeLoadError(e);
  }
  // The layout is a preference: if the olympus database cannot be read, the default serves.
  let layout: { layout: DashboardLayout; saved: boolean } = { layout: DEFAULT_LAYOUT, saved: false };
  let layoutError = false;
  try {
    layout = await loadLayout(await olympusPool(), domain, admin.id);
  } catch {
    layoutError = true;
  }

  return (
    <>
      {params.notice === "forbidden" && (
        <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          That page needs the admin role.
        </p>
      )}
      <PageHeader
        title={`${domain.toUpperCase()} dashboard`}
        description={
          <>
            Welcome, {admin.name ?? admin.email}.{" "}
            {stats && (
              <span className="text-slate-500">
                Figures as of <Time value={stats.computedAt} />, refreshed every two minutes.
              </span>
            )}
          </>
        }
      />
      <span data-testid="dashboard-title" className="sr-only">
        {domain.toUpperCase()} dashboard
      </span>
      {layoutError && (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900">
          Your saved layout could not be read; the default is shown.
        </p>
      )}
      {error || !stats ? (
        <ErrorNotice title="The figures could not be computed">{error}</ErrorNotice>
      ) : (
        <DashboardBoard initial={layout.layout} saved={layout.saved} widgets={await widgets(stats)} />
      )}
    </>
  );
}

async function widgets(stats: DashboardStats): Promise<Record<WidgetId, ReactNode>> {
  const activity = await recentActivity(stats.recentSignIns);
  const notes = [
    stats.capped.identities && `sign-ups over the first ${count(stats.limits.identities)} identities listed`,
    stats.capped.sessions && `sign-ins from the newest ${count(stats.limits.sessions)} sessions`,
  ].filter(Boolean);
  return {
    totals: <TotalsWidget stats={stats} />,
    "active-users": <ActiveUsersWidget stats={stats} />,
    "verification-rate": <VerificationWidget stats={stats} />,
    "sign-ups-vs-sign-ins": (
      <SignUpsSignInsChart daily={stats.daily} capped={notes.length > 0 ? `Capped scan: ${notes.join("; ")}.` : null} />
    ),
    "users-by-schema": <UsersBySchemaWidget stats={stats} />,
    "mfa-adoption": <MfaWidget stats={stats} />,
    "peak-hours": <PeakHoursWidget stats={stats} />,
    "grant-types": <GrantTypesWidget stats={stats} />,
    "recent-activity": <ActivityFeed items={activity.items} auditUnavailable={activity.auditUnavailable} />,
  };
}
