import type { Metadata } from "next";
import { AUDIT_OUTCOMES } from "@olympus/athena-store/audit";
import { ErrorNotice, PageHeader, inputClass } from "@/shared/ui/primitives";
import { requireAdminPage } from "@/shared/auth/session";
import { auditLog } from "@/shared/server/olympus-db";
import { FilterBar, FilterField, FilterSelect } from "@/shared/data-table/filter-bar";
import { pageHref } from "@/shared/data-table/page-href";
import { CursorPager } from "@/shared/data-table/pager";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };

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
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in and every change made through this Athena: who, what, on what, when and with what outcome. Append-only."
      />
      <FilterBar
        action="/audit"
        label="Filter the audit log"
        submitLabel="Filter"
        active={Boolean(query.action || query.actor || query.target || query.outcome)}
      >
        <FilterField label="Action" id="audit-action">
          <FilterSelect id="audit-action" name="action" value={query.action} options={actions} />
        </FilterField>
        <FilterField label="Actor (email)" id="audit-actor">
          <input id="audit-actor" name="actor" type="search" defaultValue={query.actor ?? ""} className={inputClass} />
        </FilterField>
        <FilterField label="Target" id="audit-target">
          <input id="audit-target" name="target" type="search" defaultValue={query.target ?? ""} className={inputClass} />
        </FilterField>
        <FilterField label="Outcome" id="audit-outcome">
          <FilterSelect id="audit-outcome" name="outcome" value={outcome} options={AUDIT_OUTCOMES} />
        </FilterField>
      </FilterBar>
      <AuditTable
        rows={result.events.map((event) => ({
          id: String(event.id),
          occurredAt: event.occurredAt.toISOString(),
          actor: event.actor.email ?? event.actor.id,
          actorRole: event.actor.role ?? undefined,
          action: event.action,
          target: event.target ?? undefined,
          outcome: event.outcome,
          details: Object.keys(event.details).length > 0 ? JSON.stringify(event.details) : "",
        }))}
      />
      <CursorPager
        links={[
          { label: "Newest", href: query.before ? "/audit" : undefined },
          {
            label: "Older",
            href: result.nextCursor
              ? pageHref("/audit", { action: query.action, actor: query.actor, target: query.target, outcome, before: result.nextCursor })
              : undefined,
          },
        ]}
      />
    </>
  );
}
