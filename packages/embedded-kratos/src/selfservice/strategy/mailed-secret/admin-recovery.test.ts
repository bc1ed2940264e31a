import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";

/** Kratos' strategy/code strategy_recovery_admin.go createRecoveryCodeForIdentity: the refusals it words itself. */
describe("admin recovery code body refusals", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_recovery_body")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const reasonFor = async (body: Record<string, unknown>) => {
    const res = await fetch(`${kratos.adminUrl}/admin/recovery/code`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identity_id: "00000000-0000-0000-0000-000000000001", ...body }),
    });
    const { error } = (await res.json()) as { error: { reason?: string } };
    return [res.status, error.reason];
  };

  it("an unknown flow_type is quoted with %q (strconv.Quote): a BEL is \\a and a no-break space \\u00a0", async () => {
    expect(await reasonFor({ flow_type: "api\u0007\u00a0é" })).toEqual([400, 'Value from "flow_type" is not valid: "api\\a\\u00a0é"']);
  });
});
