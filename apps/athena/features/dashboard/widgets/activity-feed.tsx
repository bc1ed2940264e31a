import Link from "next/link";
import { Badge, Time } from "@/shared/ui/primitives";
import type { ActivityItem } from "../activity";

const OUTCOME = { success: "green", failure: "red", denied: "amber" } as const;

/** The newest admin actions (audit log) and sign-ins, newest first. */
export function ActivityFeed({ items, auditUnavailable }: { items: ActivityItem[]; auditUnavailable: boolean }) {
  return (
    <>
      {auditUnavailable && (
        <p className="mb-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900">
          The audit log could not be read; only sign-ins are shown.
        </p>
      )}
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing has happened yet.</p>
      ) : (
        <ol className="flex max-h-96 flex-col divide-y divide-slate-100 overflow-y-auto text-sm" data-testid="activity-feed">
          {items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 py-1.5">
              {item.kind === "audit" ? (
                <span className="min-w-0 break-words">
                  <span className="font-medium">{item.actor}</span> <code className="text-xs">{item.action}</code>
                  {item.target && <span className="text-slate-600"> on {item.target}</span>}{" "}
                  <Badge color={OUTCOME[item.outcome]}>{item.outcome}</Badge>
                </span>
              ) : (
                <span className="min-w-0 break-words">
                  {item.identityId ? (
                    <Link href={`/identities/${item.identityId}`} className="font-medium text-sky-800 underline">
                      {item.who}
                    </Link>
                  ) : (
                    <span className="font-medium">{item.who}</span>
                  )}{" "}
                  signed in{item.methods.length > 0 && <span className="text-slate-600"> with {item.methods.join(" + ")}</span>}
                </span>
              )}
              <span className="shrink-0 text-xs text-slate-500">
                <Time value={item.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="mt-2 text-xs text-slate-500">
        Admin actions from the{" "}
        <Link href="/audit" className="underline">
          audit log
        </Link>{" "}
        and sign-ins from Kratos&apos; sessions.
      </p>
    </>
  );
}
