import type { Metadata } from "next";
import Link from "next/link";
import { Badge, EmptyState, ErrorNotice, PageHeader, Time } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { isM2MClient } from "./client-input";
import { describeLoadError } from "@/shared/server/load-error";
import { hydraAdmin } from "@/shared/server/ory";

export const metadata: Metadata = { title: "OAuth2 clients" };

export default async function OAuth2ClientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireAdminPage("viewer");
  const { cursor } = await searchParams;
  const token = typeof cursor === "string" && cursor.length < 2048 ? cursor : undefined;
  let page;
  try {
    page = await hydraAdmin().listClients({ pageSize: 100, pageToken: token });
  } catch (error) {
    return <ErrorNotice title="OAuth2 clients could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  const clients = page.items.filter((c) => !isM2MClient(c));
  return (
    <>
      <PageHeader
        title="OAuth2 clients"
        description="Applications registered with this domain's Hydra. Machine-to-machine clients have their own page."
        actions={
          roleAllows(admin.role, "admin") ? (
            <Link
              href="/oauth2-clients/new"
              className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:opacity-90"
            >
              New client
            </Link>
          ) : undefined
        }
      />
      {clients.length === 0 ? (
        <EmptyState title="No OAuth2 clients yet." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="clients-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Client id</th>
                <th className="px-3 py-2">Grants</th>
                <th className="px-3 py-2">Scopes</th>
                <th className="px-3 py-2">Created</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.client_id} className="border-b border-slate-100 last:border-0">
                  <td className="px-3 py-2">
                    <Link
                      href={`/oauth2-clients/${encodeURIComponent(c.client_id ?? "")}`}
                      className="font-medium text-brand hover:underline"
                    >
                      {c.client_name || "(unnamed)"}
                    </Link>{" "}
                    {c.skip_consent && <Badge color="blue">first-party</Badge>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{c.client_id}</td>
                  <td className="px-3 py-2 text-xs">{(c.grant_types ?? []).join(", ")}</td>
                  <td className="px-3 py-2 text-xs">{c.scope}</td>
                  <td className="px-3 py-2">
                    <Time value={c.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextPageToken && (
        <nav aria-label="Pages" className="mt-3 flex justify-end text-sm">
          <Link
            className="rounded-md border border-slate-300 bg-white px-3 py-1"
            href={`/oauth2-clients?cursor=${encodeURIComponent(page.nextPageToken)}`}
          >
            Next page
          </Link>
        </nav>
      )}
    </>
  );
}
