import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Identity } from "@olympus/ory-client/admin";
import { pagedSource } from "@/shared/testing/paged";

// Kratos' admin API, in memory: identities in Kratos' order (by id), paged by an opaque token.
let identities: Identity[] = [];
const source = pagedSource(() => identities);
const similar: string[] = [];
/** Whether the fake Kratos honours preview_credentials_identifier_similar (an older or embedded one may ignore it). */
let honoursSimilar = true;
vi.mock("@/shared/server/ory", () => ({
  kratosAdmin: () => ({
    listIdentities: async (params: { pageSize: number; pageToken?: string; credentialsIdentifierSimilar?: string }) => {
      if (params.credentialsIdentifierSimilar === undefined || !honoursSimilar) return source.page(params);
      similar.push(params.credentialsIdentifierSimilar);
      // Kratos: identifiers LIKE '<prefix>%', password identifiers compared lower-cased (persister_identity.go, ListIdentities).
      const prefix = params.credentialsIdentifierSimilar.toLowerCase();
      const found = identities.filter((i) => (i.credentials?.password?.identifiers ?? []).some((id) => id.startsWith(prefix)));
      return pagedSource(() => found).page(params);
    },
  }),
}));

const { listIdentityPage, SORT_LIMIT } = await import("./loader");
const { identityQuery } = await import("./query");

const NAMES = ["Ada Lovelace", "Zoë Quinn", "Grace Hopper", "Alan Turing", "Katherine Johnson"];

/** Identity n: created n minutes after a fixed start, so newest first is highest n first. */
function identity(n: number, schema: "customer" | "employee" = "customer", state: "active" | "inactive" = "active"): Identity {
  const email = `user${n}@example.com`;
  const [first = "", last = ""] = (NAMES[n % NAMES.length] ?? "").split(" ");
  return {
    // Kratos' order is by id, which is random: reverse-ish here so it differs from creation order.
    id: `00000000-0000-4000-8000-${String(999_999 - ((n * 7919) % 1_000_000)).padStart(12, "0")}`,
    schema_id: schema,
    schema_url: `http://kratos/schemas/${schema}`,
    state,
    traits: { email, name: { first, last } },
    credentials: { password: { type: "password", identifiers: [email] } },
    verifiable_addresses: [{ id: `a${n}`, value: email, verified: n % 2 === 0, via: "email", status: "completed" }],
    created_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
  };
}

/** n identities in Kratos' (id) order: every third an employee, every fifth inactive. */
function population(n: number): Identity[] {
  return Array.from({ length: n }, (_, i) => identity(i, i % 3 === 0 ? "employee" : "customer", i % 5 === 0 ? "inactive" : "active")).sort(
    (a, b) => a.id.localeCompare(b.id),
  );
}

/** Follows "Next" from the first page to the last. */
async function allPages(raw: Record<string, string>): Promise<{ pages: number; emails: string[]; cursors: (string | undefined)[] }> {
  const emails: string[] = [];
  const cursors: (string | undefined)[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    cursors.push(cursor);
    const page = await listIdentityPage(identityQuery.parse({ ...raw, ...(cursor ? { cursor } : {}) }));
    expect(page.rows.length).toBeLessThanOrEqual(Number(raw.size ?? 25));
    emails.push(...page.rows.map((r) => r.identifier));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { pages, emails, cursors };
}

const emailsOf = (list: Identity[]) => list.map((i) => String((i.traits as { email: string }).email));
const newest = (list: Identity[]) => [...list].sort((a, b) => Date.parse(b.created_at ?? "") - Date.parse(a.created_at ?? ""));

beforeEach(() => {
  identities = population(300);
  source.requests.length = 0;
  similar.length = 0;
  honoursSimilar = true;
});

describe("listIdentityPage: a set small enough to sort", () => {
  it("sorts newest first, says the exact total, and pages forward and back by offset", async () => {
    const first = await listIdentityPage(identityQuery.parse({ size: "50" }));
    expect(first).toMatchObject({ order: "newest", first: 0, total: { exact: 300 }, previousCursor: undefined, partial: false });
    expect(first.rows.map((r) => r.identifier)).toEqual(emailsOf(newest(identities).slice(0, 50)));
    // One request to Kratos, at its largest page size: the whole set.
    expect(source.requests).toEqual([{ pageSize: SORT_LIMIT, pageToken: undefined }]);

    const second = await listIdentityPage(identityQuery.parse({ size: "50", cursor: first.nextCursor }));
    expect(second).toMatchObject({ first: 50, previousCursor: "" });
    expect(second.rows.map((r) => r.identifier)).toEqual(emailsOf(newest(identities).slice(50, 100)));
    const third = await listIdentityPage(identityQuery.parse({ size: "50", cursor: second.nextCursor }));
    const back = await listIdentityPage(identityQuery.parse({ size: "50", cursor: third.previousCursor }));
    expect(back.rows).toEqual(second.rows);

    const { emails } = await allPages({ size: "100" });
    expect(emails).toEqual(emailsOf(newest(identities)));
  });

  it("shows the row a person sees: identifier, name, schema, state, verified, creation time", async () => {
    const [row] = (await listIdentityPage(identityQuery.parse({}))).rows;
    expect(row).toEqual({
      id: identity(299).id,
      identifier: "user299@example.com",
      name: "Katherine Johnson",
      schemaId: "customer",
      state: "active",
      verified: false,
      createdAt: identity(299).created_at,
    });
  });
});

describe("listIdentityPage: more identities than Athena sorts", () => {
  beforeEach(() => {
    identities = population(1234);
  });

  it("pages through Kratos' own order at the chosen size, with 'more than' instead of a total", async () => {
    const first = await listIdentityPage(identityQuery.parse({ size: "50" }));
    expect(first).toMatchObject({ order: "kratos", first: 0, total: { atLeast: SORT_LIMIT } });
    expect(first.rows.map((r) => r.identifier)).toEqual(emailsOf(identities.slice(0, 50)));
    const { pages, emails } = await allPages({ size: "100" });
    expect(pages).toBe(13);
    expect(emails).toEqual(emailsOf(identities));
    // Past the first page, only pages of the chosen size are asked for.
    source.requests.length = 0;
    await listIdentityPage(identityQuery.parse({ size: "100", cursor: first.nextCursor }));
    expect(source.requests.map((r) => r.pageSize)).toEqual([100]);
  });

  it("goes back page by page with Previous, though Kratos only links forward", async () => {
    const { cursors } = await allPages({ size: "100" });
    const pageAt = async (cursor: string | undefined) =>
      listIdentityPage(identityQuery.parse({ size: "100", ...(cursor ? { cursor } : {}) }));
    const sixth = await pageAt(cursors[5]);
    expect(sixth.first).toBe(500);
    const fifth = await pageAt(sixth.previousCursor);
    expect(fifth.rows).toEqual((await pageAt(cursors[4])).rows);
    expect(fifth.first).toBe(400);
    let page = fifth;
    for (let i = 0; i < 3; i++) page = await pageAt(page.previousCursor);
    expect(page.first).toBe(100);
    expect(page.previousCursor).toBe("");
  });

  it("filters by schema and by state across Kratos batches, with no row lost or repeated between pages", async () => {
    const { emails: employees } = await allPages({ schema: "employee", size: "25" });
    expect(employees).toEqual(emailsOf(identities.filter((i) => i.schema_id === "employee")));
    const { emails: both, pages } = await allPages({ schema: "customer", state: "inactive", size: "25" });
    const expected = emailsOf(identities.filter((i) => i.schema_id === "customer" && i.state === "inactive"));
    expect(both).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 25));
  });

  it("stops a filtered scan at its budget, says so, and resumes where it stopped", async () => {
    // 12,000 customers, then one employee: past the 10,000-identity budget.
    identities = [...Array.from({ length: 12_000 }, (_, i) => identity(i)), identity(12_000, "employee")];
    const first = await listIdentityPage(identityQuery.parse({ schema: "employee" }));
    expect(first).toMatchObject({ rows: [], partial: true, total: undefined });
    const rest = await listIdentityPage(identityQuery.parse({ schema: "employee", cursor: first.nextCursor }));
    expect(rest).toMatchObject({ partial: false, nextCursor: undefined });
    expect(rest.rows.map((r) => r.identifier)).toEqual(["user12000@example.com"]);
  });
});

describe("listIdentityPage: search", () => {
  it("finds identifiers by their start through Kratos' similar search, newest first", async () => {
    const found = await listIdentityPage(identityQuery.parse({ q: "  USER29" }));
    expect(similar).toEqual(["USER29"]);
    const expected = newest(identities.filter((i) => emailsOf([i])[0]?.startsWith("user29")));
    expect(found.rows.map((r) => r.identifier)).toEqual(emailsOf(expected));
    expect(found.total).toEqual({ exact: 11 });
  });

  it("still shows only matches when Kratos ignores the experimental parameter", async () => {
    honoursSimilar = false;
    const found = await listIdentityPage(identityQuery.parse({ q: "user29" }));
    expect(found.rows.map((r) => r.identifier).sort()).toEqual(
      emailsOf(identities.filter((i) => emailsOf([i])[0]?.startsWith("user29"))).sort(),
    );
  });

  it("finds people by every word of their name, ignoring case and accents, together with the other filters", async () => {
    const ada = await listIdentityPage(identityQuery.parse({ name: "lovelace ADA" }));
    expect(ada.total).toEqual({ exact: 60 });
    expect(ada.rows.every((r) => r.name === "Ada Lovelace")).toBe(true);
    expect((await listIdentityPage(identityQuery.parse({ name: "zoe" }))).rows.every((r) => r.name === "Zoë Quinn")).toBe(true);
    const inactiveHoppers = await listIdentityPage(identityQuery.parse({ name: "hopper", state: "inactive", size: "100" }));
    expect(inactiveHoppers.rows.map((r) => r.identifier).sort()).toEqual(
      emailsOf(identities.filter((i) => i.state === "inactive" && JSON.stringify(i.traits).includes("Hopper"))).sort(),
    );
  });
});

describe("identityQuery", () => {
  it("falls back to safe defaults for hostile query values", () => {
    expect(
      identityQuery.parse({ size: "1000000", state: "deleted", schema: "../etc", cursor: "x".repeat(5000), q: "", name: "  " }),
    ).toEqual({ size: 25 });
  });

  it("starts again from the first page on a cursor it did not issue", async () => {
    const page = await listIdentityPage(identityQuery.parse({ cursor: "not-a-cursor" }));
    expect(page.first).toBe(0);
    expect(page.rows[0]?.identifier).toBe("user299@example.com");
  });
});
