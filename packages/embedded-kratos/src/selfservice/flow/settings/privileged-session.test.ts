import type { SettingsFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import {
  CORE_STRATEGIES,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { csrfOf, expectFailure } from "../../../testing/flow-json";

const NEW_PASSWORD = "a-fresh-and-long-passphrase-31";

/**
 * selfservice.flows.settings.privileged_session_max_age: a password change
 * needs a recent login. Driven through @ory/client's FrontendApi as an SPA
 * (cookies, CSRF token in the body).
 */
describe("settings: the privileged-session window", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_privileged_session";

  beforeAll(
    async () =>
      ({ pg, kratos } = await startKratosWithPostgres(database, {
        strategies: CORE_STRATEGIES,
        configOverrides: { selfservice: { flows: { settings: { privileged_session_max_age: "5m" } } } },
      })),
  );
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function registeredBrowser(email: string): Promise<{ browser: TestBrowser; sessionId: string }> {
    const browser = new TestBrowser();
    const flow = await browser.viaSdk(() => kratos.frontend.createBrowserRegistrationFlow());
    const done = await browser.viaSdk((cookie) =>
      kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        cookie,
        updateRegistrationFlowBody: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, traits: { email } },
      }),
    );
    return { browser, sessionId: done.session?.id ?? "" };
  }

  /** Moves the session's last authentication back in time, as if the user signed in `minutes` ago. */
  const age = (sessionId: string, minutes: number) =>
    pg.query(`UPDATE sessions SET authenticated_at = now() - make_interval(mins => $2) WHERE id = $1`, [sessionId, minutes], database);

  it("refuses a password change from an old session (403 session_refresh_required), accepts it after a refresh login", async () => {
    const email = uniqueEmail("privileged");
    const { browser, sessionId } = await registeredBrowser(email);
    await age(sessionId, 6);

    const flow: SettingsFlow = await browser.viaSdk((cookie) => kratos.frontend.createBrowserSettingsFlow({ cookie }));
    const changePassword = () =>
      browser.viaSdk((cookie) =>
        kratos.frontend.updateSettingsFlow({
          flow: flow.id,
          cookie,
          updateSettingsFlowBody: { method: "password", csrf_token: csrfOf(flow), password: NEW_PASSWORD },
        }),
      );

    const refused = await expectFailure(changePassword());
    expect(refused.status).toBe(403);
    expect((refused.data.error as { id: string }).id).toBe("session_refresh_required");
    const redirect = new URL(String(refused.data.redirect_browser_to));
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${kratos.publicUrl}/self-service/login/browser`);
    expect(redirect.searchParams.get("refresh")).toBe("true");
    // settings.ErrorHandler.reauthenticate: return_to is the submission URL itself (public URL + path + query).
    expect(redirect.searchParams.get("return_to")).toBe(`${kratos.publicUrl}/self-service/settings?flow=${flow.id}`);

    // Changing nothing privileged (the name) is still allowed from the old session.
    const profile = await browser.viaSdk((cookie) =>
      kratos.frontend.updateSettingsFlow({
        flow: flow.id,
        cookie,
        updateSettingsFlowBody: { method: "profile", csrf_token: csrfOf(flow), traits: { email, name: { first: "Old", last: "Session" } } },
      }),
    );
    expect(profile.state).toBe("success");

    // Re-authenticate with a refresh login flow, as the redirect asks.
    const login = await browser.viaSdk((cookie) => kratos.frontend.createBrowserLoginFlow({ refresh: true, cookie }));
    expect(login.refresh).toBe(true);
    expect(login.ui.messages?.map((m) => m.id)).toContain(1010003);
    const refreshed = await browser.viaSdk((cookie) =>
      kratos.frontend.updateLoginFlow({
        flow: login.id,
        cookie,
        updateLoginFlowBody: { method: "password", csrf_token: csrfOf(login), identifier: email, password: STRONG_PASSWORD },
      }),
    );
    expect(refreshed.session.id).toBe(sessionId);
    const { rows } = await pg.query<{ fresh: boolean }>(
      `SELECT now() - authenticated_at < interval '1 minute' AS fresh FROM sessions WHERE id = $1`,
      [sessionId],
      database,
    );
    expect(rows[0]?.fresh).toBe(true);

    const saved = await changePassword();
    expect(saved.state).toBe("success");
    const { data: native } = await kratos.frontend.createNativeLoginFlow();
    const relogin = await kratos.frontend.updateLoginFlow({
      flow: native.id,
      updateLoginFlowBody: { method: "password", identifier: email, password: NEW_PASSWORD },
    });
    expect(relogin.status).toBe(200);
  });

  it("accepts a password change from a session inside the window without a refresh", async () => {
    const { browser, sessionId } = await registeredBrowser(uniqueEmail("recent"));
    await age(sessionId, 4);
    const flow = await browser.viaSdk((cookie) => kratos.frontend.createBrowserSettingsFlow({ cookie }));
    const saved = await browser.viaSdk((cookie) =>
      kratos.frontend.updateSettingsFlow({
        flow: flow.id,
        cookie,
        updateSettingsFlowBody: { method: "password", csrf_token: csrfOf(flow), password: NEW_PASSWORD },
      }),
    );
    expect(saved.state).toBe("success");
  });
});
