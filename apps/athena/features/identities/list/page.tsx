import Link from "next/link";
import type { Metadata } from "next";
import { ErrorNotice, PageHeader, inputClass } from "@/shared/ui/primitives";
import { FilterBar, FilterField, FilterSelect } from "@/shared/data-table/filter-bar";
import { describeRange, Pager } from "@/shared/data-table/pager";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { describeLoadError } from "@/shared/server/load-error";
import { identitySchemas } from "@/features/schemas/loader";
import { IdentitiesView } from "./identities-view";
import { listIdentityPage, SORT_LIMIT } from "./loader";
import { identitiesHref, IDENTITY_STATES, PAGE_SIZES, parseIdentityQuery, type IdentityQuery } from "./query";

export const metadata: Metadata = { title: "Identities" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function emptyText(query: IdentityQuery): string {
  if (query.q && query.name) return `No identity has an identifier starting with "${query.q}" and the name "${query.name}".`;
  if (query.q) return `No identity has an identifier starting with "${query.q}".`;
  if (query.name) return `No identity is named "${query.name}".`;
  return query.schema || query.state ? "No identities match." : "No identities yet.";
}

/** Identities: search, filters, a page newest first (or in Kratos' order past SORT_LIMIT), bulk actions. */
export default async function IdentitiesPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdminPage("viewer");
  const query = parseIdentityQuery(await searchParams);
  const [page, schemas] = await Promise.all([
    listIdentityPage(query).catch((error: unknown) => ({ error: describeLoadError(error) })),
    identitySchemas().catch(() => []),
  ]);
  const canWrite = roleAllows(admin.role, "admin");

  return (
    <>
      <PageHeader
        title="Identities"
        description="This domain's identities, newest first. Search finds identifiers by their start (Kratos' similar search) and people by name."
        actions={
          canWrite ? (
            <Link
              href="/identities/new"
              className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:opacity-90"
            >
              New identity
            </Link>
          ) : undefined
        }
      />
      <FilterBar action="/identities" label="Search identities" active={Boolean(query.q || query.name || query.schema || query.state)}>
        <FilterField label="Email or identifier" id="filter-q" hint="Starts with, e.g. ada@ or ada@example" grow>
          <input
            id="filter-q"
            name="q"
            type="search"
            defaultValue={query.q ?? ""}
            placeholder="customer@example.com"
            aria-describedby="filter-q-hint"
            className={inputClass}
          />
        </FilterField>
        <FilterField label="Name" id="filter-name" hint="Every word, any order" grow>
          <input
            id="filter-name"
            name="name"
            type="search"
            defaultValue={query.name ?? ""}
            placeholder="Ada Lovelace"
            aria-describedby="filter-name-hint"
            className={inputClass}
          />
        </FilterField>
        <FilterField label="Schema" id="filter-schema">
          <FilterSelect id="filter-schema" name="schema" value={query.schema} options={schemas.map((s) => s.id)} />
        </FilterField>
        <FilterField label="State" id="filter-state">
          <FilterSelect id="filter-state" name="state" value={query.state} options={IDENTITY_STATES} />
        </FilterField>
        <FilterField label="Per page" id="filter-size">
          <FilterSelect id="filter-size" name="size" value={String(query.size)} options={PAGE_SIZES.map(String)} anyLabel={null} />
        </FilterField>
      </FilterBar>
      {"error" in page ? (
        <ErrorNotice title="Identities could not be loaded">{page.error}</ErrorNotice>
      ) : (
        <>
          {page.order === "kratos" && (
            <p
              role="status"
              className="mb-3 rounded-md border border-amber-200 bg-amber-50 p-2 text-sm text-amber-900"
              data-testid="order-notice"
            >
              More than {SORT_LIMIT.toLocaleString("en")} identities match, so they are shown in Kratos&apos; own order: Kratos cannot sort
              by creation date, and Athena sorts at most {SORT_LIMIT.toLocaleString("en")}. Search or filter to see the newest first.
              {page.partial && " This page stopped at its scan limit; the next page carries on."}
            </p>
          )}
          <IdentitiesView rows={page.rows} emptyText={emptyText(query)} canWrite={canWrite} />
          <Pager
            summary={
              page.rows.length > 0 || page.first > 0
                ? `${describeRange(page.first + 1, page.rows.length, page.total)}${page.total === undefined && page.nextCursor ? "; more may match on the next pages" : ""}`
                : "No identities"
            }
            previousHref={
              page.previousCursor === undefined ? undefined : identitiesHref(query, { cursor: page.previousCursor || undefined })
            }
            nextHref={page.nextCursor ? identitiesHref(query, { cursor: page.nextCursor }) : undefined}
          />
        </>
      )}
    </>
  );
}
