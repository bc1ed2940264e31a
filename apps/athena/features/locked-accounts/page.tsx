import type { Metadata } from "next";
import { z } from "zod";
import { ErrorNotice, PageHeader, ReadOnlyNotice } from "@/shared/ui/primitives";
import { describeRange, Pager } from "@/shared/data-table/pager";
import { requireAdminPage } from "@/shared/auth/session";
import { roleAllows } from "@/shared/auth/roles";
import { athenaConfig } from "@/shared/server/config";
import { olympusPool } from "@/shared/server/olympus-db";
import { LockedView, type LockedRow } from "./locked-view";
import { listLockedAccounts } from "./store";

export const metadata: Metadata = { title: "Locked accounts" };

const SIZE = 50;
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** Accounts Hera's brute-force limits have locked right now, with when and why; unlock one or many. */
export default async function LockedAccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireAdminPage("viewer");
  const raw = await searchParams;
  const { page } = pageQuery.parse({ page: Array.isArray(raw.page) ? raw.page[0] : raw.page });
  const canWrite = roleAllows(admin.role, "admin");
  const offset = (page - 1) * SIZE;
  let result;
  try {
    result = await listLockedAccounts(await olympusPool(), athenaConfig().domain, { size: SIZE, offset });
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "locked accounts failed to load",
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return <ErrorNotice title="Locked accounts could not be loaded">The olympus database did not answer; see the server log.</ErrorNotice>;
  }
  const rows: LockedRow[] = result.rows.map((r) => ({
    id: `${r.bucket}/${r.keyHash}`,
    bucket: r.bucket,
    keyHash: r.keyHash,
    identifier: r.identifier,
    failures: r.failures,
    max: r.max,
    lockedAt: r.lockedAt.toISOString(),
    lockedUntil: r.lockedUntil.toISOString(),
    clientIp: r.clientIp,
  }));
  const href = (n: number) => (n <= 1 ? "/locked-accounts" : `/locked-accounts?page=${n}`);
  return (
    <>
      <PageHeader
        title="Locked accounts"
        description="Identifiers Hera's sign-in limits have locked after too many wrong passwords or codes, until the lockout ends. Unlocking lets the next attempt through and counts afresh."
      />
      {!canWrite && <ReadOnlyNotice />}
      <LockedView rows={rows} canWrite={canWrite} />
      <Pager
        summary={result.total === 0 ? "No locked accounts" : describeRange(offset + 1, rows.length, { exact: result.total })}
        previousHref={page > 1 ? href(page - 1) : undefined}
        nextHref={offset + rows.length < result.total ? href(page + 1) : undefined}
      />
    </>
  );
}
