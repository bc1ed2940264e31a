import type { Metadata } from "next";
import Link from "next/link";
import { ErrorNotice, PageHeader, ReadOnlyNotice } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { asRecord } from "@/shared/json";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";
import { SessionsTable } from "./sessions-table";

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
      <SessionsTable
        rows={page.items.map((session) => {
          const email = asRecord(session.identity?.traits).email;
          const device = session.devices?.[0];
          return {
            id: session.id,
            identity: session.identity && { id: session.identity.id, label: typeof email === "string" ? email : session.identity.id },
            userAgent: device?.user_agent,
            ipAddress: device?.ip_address,
            aal: session.authenticator_assurance_level,
            authenticatedAt: session.authenticated_at,
            expiresAt: session.expires_at,
          };
        })}
        canWrite={canWrite}
      />
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
