import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratos, startTestPostgres, type TestKratos, type TestPostgres } from "../../testing/harness";
import { ENDPOINT_DISABLED_MESSAGE } from "./disabled-endpoint";

// selfservice/strategy/handler.go IsDisabled, as code.Strategy.RegisterAdminRoutes
// (strategy_recovery_admin.go) and link.Strategy.RegisterAdminRoutes (strategy_recovery.go) wrap their admin routes.
describe("admin recovery endpoints of disabled methods (strategy.IsDisabled)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    kratos = await startKratos(pg, "ciam_disabled_endpoints", {
      configOverrides: {
        selfservice: {
          methods: { code: { enabled: false }, link: { enabled: false } },
          flows: { recovery: { use: "code" }, verification: { use: "code" } },
        },
      },
    });
  });
  afterAll(async () => {
    await kratos?.close();
    await pg?.stop();
  });

  for (const method of ["code", "link"]) {
    it(`POST /admin/recovery/${method} answers herodot's 404 with EndpointDisabledMessage`, async () => {
      const res = await fetch(`${kratos.adminUrl}/admin/recovery/${method}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ identity_id: "6f2b9a4e-7c1d-4e3a-9b8f-0a1b2c3d4e5f" }),
      });
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ code: 404, status: "Not Found", reason: ENDPOINT_DISABLED_MESSAGE });
      expect(body.error.message).toBe("The requested resource could not be found");
      expect(body.error.id).toBeUndefined();
    });
  }

  it("the message is Kratos' EndpointDisabledMessage word for word", () => {
    expect(ENDPOINT_DISABLED_MESSAGE).toBe(
      "This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.",
    );
  });
});
