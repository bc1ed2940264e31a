import Link from "next/link";
import type { ReactNode } from "react";

const linkClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand";

/**
 * Previous / next links under a server-paged table, with what is shown and
 * the total when it is known ("26–50 of 137"), or that there is more.
 */
export function Pager({
  summary,
  previousHref,
  nextHref,
}: {
  summary: ReactNode;
  previousHref?: string | undefined;
  nextHref?: string | undefined;
}) {
  return (
    <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-slate-700" data-testid="pager-summary">
        {summary}
      </p>
      <span className="flex gap-2">
        {previousHref ? (
          <Link className={linkClass} href={previousHref} rel="prev">
            Previous page
          </Link>
        ) : (
          <span className="rounded-md border border-slate-200 px-3 py-1 text-slate-500" aria-disabled="true">
            Previous page
          </span>
        )}
        {nextHref ? (
          <Link className={linkClass} href={nextHref} rel="next">
            Next page
          </Link>
        ) : (
          <span className="rounded-md border border-slate-200 px-3 py-1 text-slate-500" aria-disabled="true">
            Next page
          </span>
        )}
      </span>
    </nav>
  );
}

/**
 * Links to the other pages of a list paged by a cursor alone, with no total
 * (the audit log, courier messages): each link shows only when it leads
 * somewhere, and without any there is no navigation at all.
 */
export function CursorPager({ links }: { links: readonly { label: string; href: string | undefined }[] }) {
  const shown = links.flatMap(({ label, href }) => (href ? [{ label, href }] : []));
  if (shown.length === 0) return null;
  return (
    <nav aria-label="Pages" className="mt-3 flex justify-end gap-2 text-sm">
      {shown.map(({ label, href }) => (
        <Link key={label} className="rounded-md border border-slate-300 bg-white px-3 py-1" href={href}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** "1–25 of 137", "26–50 of more than 50" — rows are 1-based for people. */
export function describeRange(first: number, shown: number, total: { exact: number } | { atLeast: number } | undefined): string {
  if (shown === 0) return "Nothing to show";
  const range = `${first.toLocaleString("en")}–${(first + shown - 1).toLocaleString("en")}`;
  if (!total) return `${range} shown`;
  if ("exact" in total) return `${range} of ${total.exact.toLocaleString("en")}`;
  return `${range} of more than ${total.atLeast.toLocaleString("en")}`;
}
