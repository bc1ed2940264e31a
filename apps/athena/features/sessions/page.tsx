import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, ErrorNotice, PageHeader, ReadOnlyNotice, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { asRecord } from "@/shared/json";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";
import { RevokeSessionButton } from "./revoke-session-button";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdminPage("viewer");
  const { cursor } = await searchParams;
  const token = typeof cursor === "string" && cursor.length < 2048 ? cursor : undefined;
  let page;
  try {
    page = await kratosAdmin().listSessions({ pageSize: 50, pageToken: token, active: true });
  } catch (error) {
    return <ErrorNotice title="Sessions could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  const canWrite = roleAllows(admin.role, "admin");
  return (
    <>
      <PageHeader title="Active sessions" description="Every active Kratos session of this domain, with its identity, device and expiry." />
      {!canWrite && <ReadOnlyNotice />}
      {page.items.length === 0 ? (
        <EmptyState title="No active sessions." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="sessions-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">Identity</th>
                <th className="px-3 py-2">Device</th>
                <th className="px-3 py-2">Assurance</th>
                <th className="px-3 py-2">Signed in</th>
                <th className="px-3 py-2">Expires</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((s) => {
                const email = asRecord(s.identity?.traits).email;
                return (
                  <tr key={s.id} className="border-b border-slate-100 last:border-0">
                    <td className="px-3 py-2">
                      {s.identity ? (
                        <Link href={`/identities/${s.identity.id}`} className="text-brand hover:underline">
                          {typeof email === "string" ? email : s.identity.id}
                        </Link>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="max-w-xs truncate px-3 py-2" title={s.devices?.[0]?.user_agent}>
                      {s.devices?.[0]?.user_agent ?? "—"}{" "}
                      {s.devices?.[0]?.ip_address && <span className="text-slate-500">· {s.devices[0].ip_address}</span>}
                    </td>
                    <td className="px-3 py-2">{s.authenticator_assurance_level ?? "—"}</td>
                    <td className="px-3 py-2">
                      <Time value={s.authenticated_at} />
                    </td>
                    <td className="px-3 py-2">
                      <Time value={s.expires_at} />
                    </td>
                    <td className="px-3 py-2 text-right">
                      <RevokeSessionButton sessionId={s.id} disabled={!canWrite} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-3 flex justify-end gap-2 text-sm">
        {token && (
          <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href="/sessions">
            First page
          </Link>
        )}
        {page.nextPageToken && (
          <Link
            className="rounded-md border border-slate-300 bg-white px-3 py-1"
            href={`/sessions?cursor=${encodeURIComponent(page.nextPageToken)}`}
          >
            Next page
          </Link>
        )}
      </nav>
    </>
  );
}
