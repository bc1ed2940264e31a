import type { Metadata } from "next";
import Link from "next/link";
import type { CourierMessageStatus } from "@olympus/ory-client/admin";
import { Badge, EmptyState, ErrorNotice, PageHeader, Time, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { describeLoadError } from "@/shared/server/load-error";
import { kratosAdmin } from "@/shared/server/ory";

export const metadata: Metadata = { title: "Courier messages" };

const STATUSES: readonly CourierMessageStatus[] = ["queued", "sent", "processing", "abandoned"];
const COLORS: Partial<Record<string, "amber" | "green" | "blue" | "red">> = {
  queued: "amber",
  sent: "green",
  processing: "blue",
  abandoned: "red",
};

export default async function CourierPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("viewer");
  const params = await searchParams;
  const status = STATUSES.find((s) => s === params.status);
  const recipient = typeof params.recipient === "string" && params.recipient.trim() ? params.recipient.trim().slice(0, 320) : undefined;
  const cursor = typeof params.cursor === "string" && params.cursor.length < 2048 ? params.cursor : undefined;
  let page;
  try {
    page = await kratosAdmin().listCourierMessages({ pageSize: 50, pageToken: cursor, status, recipient });
  } catch (error) {
    return <ErrorNotice title="Courier messages could not be loaded">{describeLoadError(error)}</ErrorNotice>;
  }
  const next = new URLSearchParams({
    ...(status ? { status } : {}),
    ...(recipient ? { recipient } : {}),
    ...(page.nextPageToken ? { cursor: page.nextPageToken } : {}),
  });
  return (
    <>
      <PageHeader title="Courier messages" description="Mail Kratos has queued and sent for this domain (verification, recovery, codes)." />
      <form role="search" method="get" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
          <span className="text-slate-600">Recipient</span>
          <input name="recipient" type="search" defaultValue={recipient ?? ""} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Status</span>
          <select name="status" defaultValue={status ?? ""} className={inputClass}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white">
          Filter
        </button>
      </form>
      {page.items.length === 0 ? (
        <EmptyState title="No messages." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="courier-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">Recipient</th>
                <th className="px-3 py-2">Template</th>
                <th className="px-3 py-2">Subject</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Created</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((m) => (
                <tr key={m.id} className="border-b border-slate-100 last:border-0">
                  <td className="px-3 py-2">
                    <Link href={`/courier/${m.id}`} className="text-brand hover:underline">
                      {m.recipient}
                    </Link>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{m.template_type}</td>
                  <td className="px-3 py-2">{m.subject}</td>
                  <td className="px-3 py-2">
                    <Badge color={COLORS[m.status] ?? "gray"}>{m.status}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    <Time value={m.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.nextPageToken && (
        <nav aria-label="Pages" className="mt-3 flex justify-end text-sm">
          <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href={`/courier?${next.toString()}`}>
            Next page
          </Link>
        </nav>
      )}
    </>
  );
}
