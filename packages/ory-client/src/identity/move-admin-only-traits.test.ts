import { afterEach, describe, expect, it } from "vitest";
import { fakeUpstream, type RecordedRequest } from "../testing/fake-upstream";
import { moveAdminOnlyTraits } from "./move-admin-only-traits";

// The migration against a recording stand-in for Kratos' admin API; the
// dev stack's seeds test runs it against the embedded Kratos itself.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const employee = (id: string, traits: Record<string, unknown>, metadata_admin?: unknown) => ({
  id,
  schema_id: "admin",
  traits: { email: `${id}@olympus.dev`, ...traits },
  ...(metadata_admin === undefined ? {} : { metadata_admin }),
});

async function kratos(pages: unknown[][], patchStatus: (req: RecordedRequest) => number = () => 200) {
  const server = await fakeUpstream((req) => {
    if (req.method === "PATCH")
      return { status: patchStatus(req), body: patchStatus(req) === 200 ? {} : { error: { code: 400, reason: "test operation failed" } } };
    if (req.method === "GET" && req.path.startsWith("/admin/identities/")) {
      const id = req.path.split("/").at(-1);
      return { status: 200, body: pages.flat().find((i) => (i as { id: string }).id === id) };
    }
    const token = new URL(req.path, "http://x").searchParams.get("page_token");
    const index = token ? Number(token) : 0;
    const next = index + 1 < pages.length ? { Link: `</admin/identities?page_size=2&page_token=${index + 1}>; rel="next"` } : undefined;
    return { status: 200, body: pages[index] ?? [], ...(next ? { headers: next } : {}) };
  });
  closers.push(server.close);
  return server;
}

const patches = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === "PATCH").map((r) => ({ path: r.path, ops: JSON.parse(r.body) as unknown }));

describe("moveAdminOnlyTraits", () => {
  it("moves the IAM role into metadata_admin with a patch Kratos accepts (no `test`: ory/x jsonx.ApplyJSONPatch refuses it), on every page, and leaves other identities alone", async () => {
    const server = await kratos([
      [employee("e1", { iam_admin_role: "admin" }), employee("e2", {})],
      [employee("e3", { iam_admin_role: "viewer" }, { team: "ops" })],
    ]);
    const report = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: `${server.url}/`, adminToken: "t".repeat(40), pageSize: 2 });

    expect(report).toEqual({
      scanned: 3,
      moved: [
        { id: "e1", schemaId: "admin", moved: { iam_admin_role: "admin" }, dropped: [] },
        { id: "e3", schemaId: "admin", moved: { iam_admin_role: "viewer" }, dropped: [] },
      ],
      failed: [],
    });
    expect(patches(server.requests)).toEqual([
      {
        path: "/admin/identities/e1",
        ops: [
          { op: "remove", path: "/traits/iam_admin_role" },
          { op: "add", path: "/metadata_admin", value: { iam_admin_role: "admin" } },
        ],
      },
      {
        path: "/admin/identities/e3",
        ops: [
          { op: "remove", path: "/traits/iam_admin_role" },
          { op: "add", path: "/metadata_admin/iam_admin_role", value: "viewer" },
        ],
      },
    ]);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${"t".repeat(40)}`)).toBe(true);
  });

  it("keeps what an administrator already set: metadata_admin wins and the trait is dropped", async () => {
    const server = await kratos([[employee("e1", { iam_admin_role: "admin" }, { iam_admin_role: "viewer" })]]);
    const report = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: server.url });
    expect(report.moved).toEqual([{ id: "e1", schemaId: "admin", moved: {}, dropped: ["iam_admin_role"] }]);
    // Only the trait goes: the administrators' metadata_admin is not written at all.
    expect(patches(server.requests)[0]?.ops).toEqual([{ op: "remove", path: "/traits/iam_admin_role" }]);
  });

  it("moves CIAM business traits, not IAM ones", async () => {
    const customer = {
      id: "c1",
      schema_id: "customer",
      traits: { email: "c@example.com", customer_id: "C-1001", loyalty_tier: "gold", iam_admin_role: "admin" },
    };
    const server = await kratos([[customer]]);
    const report = await moveAdminOnlyTraits({ domain: "ciam", kratosAdminUrl: server.url });
    expect(report.moved).toEqual([{ id: "c1", schemaId: "customer", moved: { customer_id: "C-1001", loyalty_tier: "gold" }, dropped: [] }]);
  });

  it("reports an identity Kratos keeps refusing, after re-reading it, and goes on with the others", async () => {
    const server = await kratos([[employee("e1", { iam_admin_role: "admin" }), employee("e2", { iam_admin_role: "viewer" })]], (req) =>
      req.path.endsWith("/e1") ? 400 : 200,
    );
    const report = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: server.url });
    expect(report.failed).toEqual([{ id: "e1", reason: "test operation failed" }]);
    expect(report.moved.map((m) => m.id)).toEqual(["e2"]);
    expect(patches(server.requests).filter((p) => p.path.endsWith("/e1"))).toHaveLength(3);
  });

  it("refuses to guess when metadata_admin is not an object", async () => {
    const server = await kratos([[employee("e1", { iam_admin_role: "admin" }, ["odd"])]]);
    const report = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: server.url });
    expect(report.failed.map((failure) => failure.id)).toEqual(["e1"]);
    expect(report.failed[0]?.reason).toContain("not a JSON object");
    expect(patches(server.requests)).toEqual([]);
  });
});
