import { afterEach, describe, expect, it } from "vitest";
import { fakeUpstream } from "../testing/fake-upstream";
import { OryError } from "../ory/errors";
import { KratosAdminClient, KratosRejection } from "./kratos-admin";
import { nextPageToken } from "../ory/pagination";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function upstream(responder: Parameters<typeof fakeUpstream>[0]) {
  const server = await fakeUpstream(responder);
  closers.push(server.close);
  return server;
}

describe("nextPageToken", () => {
  it("reads rel=next from a Link header and nothing else", () => {
    expect(nextPageToken('</admin/identities?page_size=2>; rel="first",</admin/identities?page_size=2&page_token=abc>; rel="next"')).toBe(
      "abc",
    );
    expect(nextPageToken('</admin/identities?page_size=2>; rel="first"')).toBeUndefined();
    expect(nextPageToken(undefined)).toBeUndefined();
  });
});

describe("KratosAdminClient", () => {
  it("sends the admin bearer token and returns a page with its next token", async () => {
    const kratos = await upstream((req) => ({
      status: 200,
      body: [{ id: "i1", schema_id: "customer", schema_url: "", traits: { email: "a@example.com" } }],
      headers: { Link: `<${req.path}&page_token=next-1>; rel="next"` },
    }));
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url, adminToken: "t".repeat(40) });
    const page = await client.listIdentities({ pageSize: 1, credentialsIdentifier: "a@example.com" });
    expect(page.items.map((i) => i.id)).toEqual(["i1"]);
    expect(page.nextPageToken).toBe("next-1");
    expect(kratos.requests[0]?.headers.authorization).toBe(`Bearer ${"t".repeat(40)}`);
    expect(kratos.requests[0]?.path).toContain("credentials_identifier=a%40example.com");
  });

  it("reads identity schemas from the public port, without the admin token: Kratos' admin port only redirects them there (schema/handler.go RegisterAdminRoutes)", async () => {
    const admin = await upstream(() => ({ status: 307, headers: { Location: "http://elsewhere/schemas" } }));
    const publicPort = await upstream((req) =>
      req.path.startsWith("/schemas/")
        ? { status: 200, body: { title: "Customer" } }
        : { status: 200, body: [{ id: "customer", schema: {} }] },
    );
    const client = new KratosAdminClient({ adminUrl: admin.url, publicUrl: publicPort.url, adminToken: "t".repeat(40) });
    expect(await client.listSchemas()).toEqual([{ id: "customer", schema: {} }]);
    expect(await client.getSchema("customer")).toEqual({ title: "Customer" });
    expect(admin.requests).toEqual([]);
    expect(publicPort.requests.map((r) => `${r.path.split("?")[0]} ${r.headers.authorization}`)).toEqual([
      "/schemas undefined",
      "/schemas/customer undefined",
    ]);
  });

  it("maps 404 to undefined and a 400 to a rejection carrying Kratos' reason", async () => {
    const kratos = await upstream((req) =>
      req.method === "GET"
        ? { status: 404, body: { error: { code: 404 } } }
        : { status: 400, body: { error: { code: 400, reason: "traits.email is missing" } } },
    );
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url });
    expect(await client.getIdentity("nope")).toBeUndefined();
    await expect(client.createIdentity({ schema_id: "customer", traits: {} })).rejects.toThrow(
      new KratosRejection(400, "traits.email is missing"),
    );
  });

  it("reports an unreachable Kratos as an OryError, without the upstream body", async () => {
    const client = new KratosAdminClient({ adminUrl: "http://127.0.0.1:9", publicUrl: "http://127.0.0.1:9" });
    const error = await client.listSchemas().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OryError);
    expect((error as OryError).id).toBe("kratos_unavailable");
  });

  it("asks Kratos for a prefix search with its preview_credentials_identifier_similar parameter (identity/handler.go, parseListIdentitiesParameters)", async () => {
    const kratos = await upstream(() => ({ status: 200, body: [] }));
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url });
    await client.listIdentities({ pageSize: 1000, credentialsIdentifierSimilar: "ada@" });
    const query = new URL(kratos.requests[0]?.path ?? "", "http://x").searchParams;
    expect(Object.fromEntries(query)).toEqual({ page_size: "1000", preview_credentials_identifier_similar: "ada@" });
  });

  it("passes include_credential on the list, which makes Kratos return each identity's credential types (identity/handler.go, parseListIdentitiesParameters)", async () => {
    const kratos = await upstream(() => ({ status: 200, body: [] }));
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url });
    await client.listIdentities({ pageSize: 500, includeCredential: ["link_recovery"] });
    await client.listIdentities({ pageSize: 500 });
    const queries = kratos.requests.map((r) => new URL(r.path, "http://x").searchParams);
    expect(queries[0]?.getAll("include_credential")).toEqual(["link_recovery"]);
    expect(queries[1]?.has("include_credential")).toBe(false);
  });

  it("removes one credential by type and identifier, and hands back Kratos' reason when it refuses (identity/handler.go, deleteIdentityCredentials)", async () => {
    const kratos = await upstream((req) => {
      if (req.path.includes("/credentials/passkey"))
        return { status: 400, body: { error: { code: 400, reason: "Credentials type passkey cannot be deleted." } } };
      if (req.path.includes("/credentials/totp"))
        return { status: 404, body: { error: { code: 404, reason: "You tried to remove a totp but this user have no totp set up." } } };
      return { status: 204 };
    });
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url, adminToken: "t".repeat(40) });
    await client.deleteIdentityCredential("i1", "oidc", "github:12345");
    expect(kratos.requests[0]).toMatchObject({ method: "DELETE", path: "/admin/identities/i1/credentials/oidc?identifier=github%3A12345" });
    expect(kratos.requests[0]?.headers.authorization).toBe(`Bearer ${"t".repeat(40)}`);
    await expect(client.deleteIdentityCredential("i1", "passkey")).rejects.toThrow(
      new KratosRejection(400, "Credentials type passkey cannot be deleted."),
    );
    await expect(client.deleteIdentityCredential("i1", "totp")).rejects.toThrow(
      new KratosRejection(404, "You tried to remove a totp but this user have no totp set up."),
    );
  });

  it("extends a session and reads it back when Kratos answers 204 (session/handler.go, adminSessionExtend)", async () => {
    const session = { id: "s1", active: true, expires_at: "2026-08-01T00:00:00Z", identity: { id: "i1" } };
    const kratos = await upstream((req) => {
      if (req.method === "PATCH" && req.path.startsWith("/admin/sessions/s1/extend")) return { status: 204 };
      if (req.method === "PATCH" && req.path.startsWith("/admin/sessions/s3/extend"))
        return { status: 200, body: { ...session, id: "s3" } };
      if (req.path.startsWith("/admin/sessions/s1")) return { status: 200, body: session };
      return { status: 404, body: { error: { code: 404 } } };
    });
    const client = new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url });
    expect(await client.extendSession("s1")).toMatchObject({ id: "s1", expires_at: "2026-08-01T00:00:00Z" });
    expect(kratos.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      "PATCH /admin/sessions/s1/extend",
      "GET /admin/sessions/s1",
    ]);
    expect(await client.extendSession("s3")).toMatchObject({ id: "s3" });
    expect(await client.extendSession("s2")).toBeUndefined();
  });

  it("mails recovery by running a native recovery flow with the method the domain offers", async () => {
    const kratos = await upstream((req) => {
      if (req.method === "GET") {
        const node = (group: string) => ({
          type: "input",
          group,
          attributes: { name: "method", node_type: "input" },
          messages: [],
          meta: {},
        });
        return {
          status: 200,
          body: { id: "flow-1", type: "api", state: "choose_method", ui: { nodes: [node("code")], action: "", method: "POST" } },
        };
      }
      return {
        status: 200,
        body: { id: "flow-1", type: "api", state: "sent_email", ui: { nodes: [], action: "", method: "POST", messages: [] } },
      };
    });
    // The domain recovers by code only: asked for a link, Kratos is given what it offers.
    expect(await new KratosAdminClient({ adminUrl: kratos.url, publicUrl: kratos.url }).sendRecoveryEmail("a@example.com", "link")).toBe(
      "code",
    );
    expect(kratos.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      "GET /self-service/recovery/api",
      "POST /self-service/recovery",
    ]);
    expect(JSON.parse(kratos.requests[1]?.body ?? "{}")).toEqual({ method: "code", email: "a@example.com" });
    expect(kratos.requests[1]?.headers.authorization).toBeUndefined();
  });
});
