import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestPostgres } from "@olympus/test-postgres";
import { startKratosWithPostgres, type TestKratos } from "../../testing/harness";

/**
 * Flow ids as Kratos reads them: x.ParseUUID (x/uuid.go) is gofrs/uuid
 * v4.4.0's FromStringOrNil, so every form FromString accepts names the flow;
 * flow.GetFlowID (selfservice/flow/flow.go) refuses the nil UUID with 400;
 * and the parameter is r.URL.Query().Get, url.ParseQuery's first kept pair.
 */
describe("flow ids in ?id= and ?flow=", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  let flowId: string;

  beforeAll(async () => {
    ({ pg, kratos } = await startKratosWithPostgres("ciam_flow_ids"));
    const created = await fetch(`${kratos.publicUrl}/self-service/login/api`);
    flowId = ((await created.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  const spellings = (id: string) => ({
    upper: id.toUpperCase(),
    braced: `{${id}}`,
    urn: `urn:uuid:${id}`,
    hexOnly: id.replaceAll("-", ""),
  });

  it("GET /self-service/login/flows finds the flow under each spelling FromString accepts (login.Handler.getLoginFlow)", async () => {
    for (const [form, id] of Object.entries(spellings(flowId))) {
      const res = await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${encodeURIComponent(id)}`);
      expect(res.status, form).toBe(200);
      expect(((await res.json()) as { id: string }).id, form).toBe(flowId);
    }
  });

  it("a submission names the flow under each spelling (flow.GetFlowID)", async () => {
    for (const [form, id] of Object.entries(spellings(flowId))) {
      const res = await fetch(`${kratos.publicUrl}/self-service/login?flow=${encodeURIComponent(id)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "password", identifier: "nobody@example.com", password: "not-the-password" }),
      });
      expect(res.status, form).toBe(400);
      expect(((await res.json()) as { id?: string }).id, form).toBe(flowId);
    }
  });

  it("the nil UUID is a missing or malformed flow id (400), not an unknown flow", async () => {
    const res = await fetch(`${kratos.publicUrl}/self-service/login?flow=00000000-0000-0000-0000-000000000000`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", identifier: "nobody@example.com", password: "x" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { reason?: string } }).error.reason).toBe("The flow query parameter is missing or malformed.");
  });

  it("reads ?id= as url.ParseQuery does: pairs with `;` or a bad escape are dropped before Values.Get", async () => {
    for (const decoy of ["decoy;", "%zz"]) {
      const res = await fetch(`${kratos.publicUrl}/self-service/login/flows?id=${decoy}&id=${flowId}`);
      expect(res.status, decoy).toBe(200);
      expect(((await res.json()) as { id: string }).id, decoy).toBe(flowId);
    }
  });
});
