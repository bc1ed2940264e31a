import type { LoginFlow, RegistrationFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../testing/browser";
import {
  CORE_STRATEGIES,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { csrfOf, expectFailure, messageIds } from "../../testing/flow-json";
import { minutesText } from "../../clock/go-duration";

/**
 * Submitting an expired *browser* flow: an SPA (JSON) gets 410
 * self_service_flow_expired naming the replacement in `use_flow_id`; a form
 * post is sent (303) to the UI with the replacement. Either way the
 * replacement is a fresh browser flow carrying the "expired" message.
 */
describe("expired browser flows", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_expired_flows";

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(database, { strategies: CORE_STRATEGIES })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  /** Ages a stored flow past its lifespan (the replacement then gets the normal lifespan). */
  const expire = (flowId: string) =>
    pg.query(`UPDATE selfservice_flows SET expires_at = now() - interval '2 minutes' WHERE id = $1`, [flowId], database);

  it("answers an SPA login submission with 410 and use_flow_id, through @ory/client", async () => {
    const browser = new TestBrowser();
    const returnTo = "http://ciam.localhost:3002/welcome";
    const flow: LoginFlow = await browser.viaSdk((cookie) => kratos.frontend.createBrowserLoginFlow({ returnTo, cookie }));
    await expire(flow.id);

    const expired = await expectFailure(
      browser.viaSdk((cookie) =>
        kratos.frontend.updateLoginFlow({
          flow: flow.id,
          cookie,
          updateLoginFlowBody: { method: "password", csrf_token: csrfOf(flow), identifier: uniqueEmail("late"), password: "whatever-1234" },
        }),
      ),
    );
    expect(expired.status).toBe(410);
    expect(expired.data.error).toMatchObject({ id: "self_service_flow_expired", code: 410 });
    expect(String((expired.data.error as { reason: string }).reason)).toMatch(/^The self-service flow expired \d+\.\d{2} minutes ago/);
    expect(new Date(String(expired.data.expired_at)).getTime()).toBeLessThan(Date.now());
    // flow/error.go NewFlowExpiredError: `since` is time.Since(at), a Duration in nanoseconds (time.Now has them, not
    // only milliseconds), and the reason prints the same duration's minutes.
    const since = Number(expired.data.since);
    expect(since).toBeGreaterThan(120e9);
    expect(since % 1e6).not.toBe(0);
    expect((expired.data.error as { reason: string }).reason).toBe(
      `The self-service flow expired ${minutesText(BigInt(since))} minutes ago, initialize a new one.`,
    );
    const replacementId = String(expired.data.use_flow_id);
    expect(replacementId).not.toBe(flow.id);

    const replacement = await browser.viaSdk((cookie) => kratos.frontend.getLoginFlow({ id: replacementId, cookie }));
    expect(replacement.type).toBe("browser");
    expect(replacement.return_to).toBe(returnTo);
    expect(messageIds(replacement)).toEqual([4010001]);
    expect(new Date(replacement.expires_at).getTime()).toBeGreaterThan(Date.now());
    // The old flow itself stays expired.
    expect((await expectFailure(browser.viaSdk((cookie) => kratos.frontend.getLoginFlow({ id: flow.id, cookie })))).status).toBe(410);
  });

  it("sends a registration form post to the UI with a fresh flow (303)", async () => {
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`);
    const flowId = new URL(init.location ?? "").searchParams.get("flow") ?? "";
    const flow = (
      await browser.request(`${kratos.publicUrl}/self-service/registration/flows?id=${flowId}`, { headers: { Accept: "application/json" } })
    ).body as RegistrationFlow;
    await expire(flow.id);

    const res = await browser.request(flow.ui.action, {
      form: {
        method: "password",
        csrf_token: csrfOf(flow),
        "traits.email": uniqueEmail("late-form"),
        password: "correct-horse-battery-staple-42",
      },
    });
    expect(res.status).toBe(303);
    const location = new URL(res.location ?? "");
    expect(`${location.origin}${location.pathname}`).toBe("http://ciam.localhost:3000/registration");
    const replacementId = location.searchParams.get("flow") ?? "";
    expect(replacementId).toMatch(/^[0-9a-f-]{36}$/);
    expect(replacementId).not.toBe(flow.id);

    const replacement = (
      await browser.request(`${kratos.publicUrl}/self-service/registration/flows?id=${replacementId}`, {
        headers: { Accept: "application/json" },
      })
    ).body as RegistrationFlow;
    expect(replacement.type).toBe("browser");
    expect(messageIds(replacement)).toEqual([4040001]);
    // Nothing was registered from the expired flow.
    const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM identities`, [], database);
    expect(rows[0]?.n).toBe(0);
  });
});
