import type { Metadata } from "next";
import Link from "next/link";
import { AUDIT_OUTCOMES } from "@olympus/athena-store/audit";
import { Badge, EmptyState, ErrorNotice, PageHeader, Time, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { auditLog } from "@/shared/server/olympus-db";

export const metadata: Metadata = { title: "Audit log" };

const OUTCOME_COLOR = { success: "green", failure: "red", denied: "amber" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage("viewer");
  const params = await searchParams;
  const text = (name: string) => (typeof params[name] === "string" && params[name].trim() ? params[name].trim().slice(0, 200) : undefined);
  const outcome = AUDIT_OUTCOMES.find((o) => o === params.outcome);
  const query = { action: text("action"), actor: text("actor"), target: text("target"), outcome, before: text("before"), limit: 50 };
  let result;
  let actions: string[];
  try {
    const log = await auditLog();
    [result, actions] = await Promise.all([log.list(query), log.actions()]);
  } catch {
    return <ErrorNotice title="The audit log is unavailable">The olympus database cannot be reached.</ErrorNotice>;
  }
  const next = new URLSearchParams(
    Object.entries({ ...query, before: result.nextCursor ?? undefined, limit: undefined }).flatMap(([k, v]) => (v ? [[k, String(v)]] : [])),
  );
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in and every change made through this Athena: who, what, on what, when and with what outcome. Append-only."
      />
      <form role="search" method="get" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Action</span>
          <select name="action" defaultValue={query.action ?? ""} className={inputClass}>
            <option value="">Any</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Actor (email)</span>
          <input name="actor" type="search" defaultValue={query.actor ?? ""} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Target</span>
          <input name="target" type="search" defaultValue={query.target ?? ""} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Outcome</span>
          <select name="outcome" defaultValue={outcome ?? ""} className={inputClass}>
            <option value="">Any</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white">
          Filter
        </button>
      </form>
      {result.events.length === 0 ? (
        <EmptyState title="No events match." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">Action</th>
                <th className="px-3 py-2">Target</th>
                <th className="px-3 py-2">Outcome</th>
                <th className="px-3 py-2">Details</th>
              </tr>
            </thead>
            <tbody>
              {result.events.map((e) => (
                <tr
                  key={e.id}
                  className="border-b border-slate-100 align-top last:border-0"
                  data-action={e.action}
                  data-outcome={e.outcome}
                >
                  <td className="whitespace-nowrap px-3 py-2">
                    <Time value={e.occurredAt} />
                  </td>
                  <td className="px-3 py-2">
                    {e.actor.email ?? e.actor.id} {e.actor.role && <span className="text-xs text-slate-500">({e.actor.role})</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                  <td className="max-w-xs break-all px-3 py-2 font-mono text-xs">{e.target ?? "—"}</td>
                  <td className="px-3 py-2">
                    <Badge color={OUTCOME_COLOR[e.outcome]}>{e.outcome}</Badge>
                  </td>
                  <td className="max-w-xs break-all px-3 py-2 font-mono text-xs text-slate-600">
                    {Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-3 flex justify-end gap-2 text-sm">
        {query.before && (
          <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href="/audit">
            Newest
          </Link>
        )}
        {result.nextCursor && (
          <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href={`/audit?${next.toString()}`}>
            Older
          </Link>
        )}
      </nav>
    </>
  );
}
