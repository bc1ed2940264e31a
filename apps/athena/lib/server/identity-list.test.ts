import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Identity } from "@olympus/sdk/admin";
import { pagedSource } from "@/lib/testing/paged";

// Kratos' admin API, in memory: identities in creation order, paged by an opaque token.
let identities: Identity[] = [];
const source = pagedSource(() => identities);
const searches: string[] = [];
vi.mock("./ory", () => ({
  kratosAdmin: () => ({
    listIdentities: async (params: { pageSize: number; pageToken?: string; credentialsIdentifier?: string }) => {
      if (params.credentialsIdentifier === undefined) return source.page(params);
      searches.push(params.credentialsIdentifier);
      return { items: identities.filter((i) => i.traits.email === params.credentialsIdentifier), nextPageToken: undefined };
    },
  }),
}));

const { identityQuery, listIdentityPage } = await import("./identity-list");

function identity(n: number, schema: "customer" | "employee", state: "active" | "inactive"): Identity {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    schema_id: schema,
    schema_url: `http://kratos/schemas/${schema}`,
    state,
    traits: { email: `user${n}@example.com` },
    verifiable_addresses: [{ id: `a${n}`, value: `user${n}@example.com`, verified: n % 2 === 0, via: "email", status: "completed" }],
    created_at: "2026-03-01T00:00:00Z",
  };
}

/** n identities: every third an employee, every fifth inactive. */
function population(n: number): Identity[] {
  return Array.from({ length: n }, (_, i) => identity(i, i % 3 === 0 ? "employee" : "customer", i % 5 === 0 ? "inactive" : "active"));
}

/** Follows the cursors from the first page to the last, as the table's "Next" link does. */
async function allPages(raw: Record<string, string>): Promise<{ pages: number; emails: string[] }> {
  const emails: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listIdentityPage(identityQuery.parse({ ...raw, ...(cursor ? { cursor } : {}) }));
    expect(page.rows.length).toBeLessThanOrEqual(Number(raw.size ?? 25));
    emails.push(...page.rows.map((r) => r.identifier));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { pages, emails };
}

const emailsOf = (list: Identity[]) => list.map((i) => String(i.traits.email));

beforeEach(() => {
  identities = population(1234);
  source.requests.length = 0;
  searches.length = 0;
});

describe("listIdentityPage", () => {
  it("pages without filters straight through Kratos' own pages, at the chosen size", async () => {
    const first = await listIdentityPage(identityQuery.parse({ size: "50" }));
    expect(first.rows.map((r) => r.identifier)).toEqual(emailsOf(identities.slice(0, 50)));
    expect(first.rows[0]).toMatchObject({ schemaId: "employee", state: "inactive", verified: true });
    expect(source.requests).toEqual([{ pageSize: 50, pageToken: undefined }]);
    const { pages, emails } = await allPages({ size: "100" });
    expect(pages).toBe(13);
    expect(emails).toEqual(emailsOf(identities));
  });

  it("filters by schema and by state across Kratos batches, with no row lost or repeated between pages", async () => {
    const { emails: employees } = await allPages({ schema: "employee", size: "25" });
    expect(employees).toEqual(emailsOf(identities.filter((i) => i.schema_id === "employee")));
    const { emails: inactive } = await allPages({ state: "inactive", size: "25" });
    expect(inactive).toEqual(emailsOf(identities.filter((i) => i.state === "inactive")));
    const { emails: both, pages } = await allPages({ schema: "customer", state: "inactive", size: "25" });
    const expected = emailsOf(identities.filter((i) => i.schema_id === "customer" && i.state === "inactive"));
    expect(both).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 25));
  });

  it("stops a filtered scan at its budget, says so, and resumes where it stopped", async () => {
    // 12,000 customers, then one employee: past the 10,000-identity budget.
    identities = [...Array.from({ length: 12_000 }, (_, i) => identity(i, "customer", "active")), identity(12_000, "employee", "active")];
    const first = await listIdentityPage(identityQuery.parse({ schema: "employee" }));
    expect(first).toMatchObject({ rows: [], partial: true, scanned: 10_000 });
    const rest = await listIdentityPage(identityQuery.parse({ schema: "employee", cursor: first.nextCursor }));
    expect(rest).toMatchObject({ partial: false, nextCursor: undefined });
    expect(rest.rows.map((r) => r.identifier)).toEqual(["user12000@example.com"]);
  });

  it("searches by login identifier in lower case and still applies the state filter", async () => {
    const found = await listIdentityPage(identityQuery.parse({ q: "  USER7@example.com " }));
    expect(searches).toEqual(["user7@example.com"]);
    expect(found.rows.map((r) => r.id)).toEqual([identity(7, "customer", "active").id]);
    expect((await listIdentityPage(identityQuery.parse({ q: "user7@example.com", state: "inactive" }))).rows).toEqual([]);
  });

  it("falls back to safe defaults for hostile query values", () => {
    expect(identityQuery.parse({ size: "1000000", state: "deleted", schema: "../etc", cursor: "x".repeat(5000) })).toEqual({ size: 25 });
  });

  it("starts again from the first page on a cursor it did not issue", async () => {
    const page = await listIdentityPage(identityQuery.parse({ schema: "employee", cursor: "not-a-cursor" }));
    expect(page.rows[0]?.identifier).toBe("user0@example.com");
  });
});
