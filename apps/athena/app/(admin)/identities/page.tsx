import Link from "next/link";
import type { Metadata } from "next";
import { Badge, ErrorNotice, PageHeader, inputClass } from "@/components/ui/primitives";
import { requireAdminPage } from "@/lib/auth/session";
import { roleAllows } from "@/lib/auth/roles";
import { identityQuery, IDENTITY_STATES, listIdentityPage, PAGE_SIZES } from "@/lib/server/identity-list";
import { identitySchemas } from "@/lib/server/schemas";
import { describeLoadError } from "@/lib/server/load-error";
import { IdentityTable } from "./identity-table";

export const metadata: Metadata = { title: "Identities" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function IdentitiesPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdminPage("viewer");
  const raw = await searchParams;
  const query = identityQuery.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [page, schemas] = await Promise.all([
    listIdentityPage(query).catch((error: unknown) => ({ error: describeLoadError(error) })),
    identitySchemas().catch(() => []),
  ]);
  const link = (overrides: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    const merged = { q: query.q, schema: query.schema, state: query.state, size: String(query.size), ...overrides };
    for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
    return `/identities?${params.toString()}`;
  };

  return (
    <>
      <PageHeader
        title="Identities"
        description="This domain's identities, paginated by Kratos. Search looks up an exact login identifier (email)."
        actions={
          roleAllows(admin.role, "admin") ? (
            <Link href="/identities/new" className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:opacity-90">
              New identity
            </Link>
          ) : undefined
        }
      />
      <form role="search" method="get" action="/identities" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
          <span className="text-slate-600">Email or identifier</span>
          <input name="q" type="search" defaultValue={query.q ?? ""} placeholder="customer@example.com" className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Schema</span>
          <select name="schema" defaultValue={query.schema ?? ""} className={inputClass}>
            <option value="">Any</option>
            {schemas.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">State</span>
          <select name="state" defaultValue={query.state ?? ""} className={inputClass}>
            <option value="">Any</option>
            {IDENTITY_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Per page</span>
          <select name="size" defaultValue={String(query.size)} className={inputClass}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white">
          Search
        </button>
        {(query.q || query.schema || query.state) && (
          <Link href="/identities" className="text-sm text-slate-600 underline">
            Clear
          </Link>
        )}
      </form>
      {"error" in page ? (
        <ErrorNotice title="Identities could not be loaded">{page.error}</ErrorNotice>
      ) : (
        <>
          <IdentityTable rows={page.rows} emptyText={query.q ? `No identity has the identifier ${query.q}.` : "No identities match."} />
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
            <span className="text-slate-600">
              {page.rows.length} shown
              {page.partial && <Badge color="amber">scan limit reached — continue to the next page</Badge>}
            </span>
            <span className="flex gap-2">
              {query.cursor && (
                <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href={link({ cursor: undefined })}>
                  First page
                </Link>
              )}
              {page.nextCursor && (
                <Link className="rounded-md border border-slate-300 bg-white px-3 py-1" href={link({ cursor: page.nextCursor })} rel="next">
                  Next page
                </Link>
              )}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
