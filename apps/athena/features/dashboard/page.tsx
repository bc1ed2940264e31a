import type { Metadata } from "next";
import Link from "next/link";
import { BarChart } from "./bar-chart";
import { Card, ErrorNotice, PageHeader, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { athenaConfig } from "@/shared/server/config";
import { dashboardStats } from "./stats";
import { describeLoadError } from "@/shared/server/load-error";

export const metadata: Metadata = { title: "Dashboard" };

const percent = (v: number) => `${Math.round(v * 100)}%`;

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdminPage("viewer");
  const params = await searchParams;
  const { domain } = athenaConfig();
  let stats;
  let error: string | undefined;
  try {
    stats = await dashboardStats();
  } catch (e) {
    error = describeLoadError(e);
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
      {error || !stats ? (
        <ErrorNotice title="The figures could not be computed">{error}</ErrorNotice>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="totals">
            {[
              ["Identities", stats.identities, "/identities"],
              ["Active sessions", stats.activeSessions, "/sessions"],
              ["OAuth2 clients", stats.oauth2Clients, "/oauth2-clients"],
              ["Messages failed", stats.failedMessages, "/courier?status=abandoned"],
            ].map(([label, value, href]) => (
              <Link
                key={String(label)}
                href={String(href)}
                className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand"
              >
                <p className="text-sm text-slate-600">{label}</p>
                <p className="text-3xl font-semibold" data-testid={`total-${String(label).toLowerCase().replace(/\s+/g, "-")}`}>
                  {Number(value).toLocaleString("en")}
                  {stats.truncated && label === "Identities" ? "+" : ""}
                </p>
              </Link>
            ))}
          </div>
          <div className="grid gap-4 xl:grid-cols-3">
            <Card>
              <BarChart title="Sign-ups per day" data={stats.signUpsPerDay.map((d) => ({ label: d.day, value: d.count }))} />
            </Card>
            <Card>
              <BarChart title="Sign-ins per day" data={stats.signInsPerDay.map((d) => ({ label: d.day, value: d.count }))} />
            </Card>
            <Card>
              <BarChart
                title="Verification rate of sign-ups"
                data={stats.verifiedPerDay.map((d) => ({ label: d.day, value: d.rate }))}
                format={percent}
              />
              <p className="mt-2 text-sm text-slate-600">
                Overall: {stats.verificationRate === null ? "—" : percent(stats.verificationRate)} of identities have a verified address.
              </p>
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
