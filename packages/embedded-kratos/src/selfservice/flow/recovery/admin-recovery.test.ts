import type { RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { expectFailure, inputs } from "../../../testing/flow-json";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";

const SETTINGS_PAGE = /^http:\/\/ciam\.localhost:3000\/settings\?flow=([0-9a-f-]{36})$/;
const json = { Accept: "application/json" };

/**
 * Recovery links and codes made by the admin API, opened in a browser, with
 * the platform's CIAM config: `recovery.use: code` and the link method
 * enabled next to it. Kratos' recovery.Handler.updateRecoveryFlow asks every
 * recovery strategy in turn; the code strategy answers only for flows it
 * made (`active: code`), the link strategy for any `token` — so an admin
 * link (link.Strategy.createRecoveryLinkForIdentity, a flow with
 * `active: link`) signs the person in (recoveryIssueSession) and sends the
 * browser to the settings UI with a 303, whatever the client negotiates.
 */
describe("admin recovery links and codes opened in a browser (CIAM config: use code, link enabled)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_admin_recovery")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function customer(): Promise<string> {
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: {
        method: "password",
        password: STRONG_PASSWORD,
        traits: { email: uniqueEmail("admin-recovery"), name: { first: "Ada", last: "Lovelace" } },
      },
    });
    return data.identity.id;
  }

  async function signedInAs(browser: TestBrowser): Promise<{ id: string; method: string | undefined }> {
    const whoami = await browser.request(`${kratos.publicUrl}/sessions/whoami`, { headers: json });
    expect(whoami.status).toBe(200);
    const body = whoami.body as { identity: { id: string }; authentication_methods: { method: string }[] };
    return { id: body.identity.id, method: body.authentication_methods[0]?.method };
  }

  it("link (link/strategy_recovery.go recoveryUseToken → recoveryIssueSession): signs in and 303s to the settings UI", async () => {
    const id = await customer();
    const { status, data } = await kratos.identity.createRecoveryLinkForIdentity({
      createRecoveryLinkForIdentityBody: { identity_id: id },
    });
    expect(status).toBe(200);
    const link = new URL(data.recovery_link);
    expect(`${link.origin}${link.pathname}`).toBe(`${kratos.publicUrl}/self-service/recovery`);

    // The flow it names is the link strategy's, although `use` is code.
    const flowId = link.searchParams.get("flow") ?? "";
    const flow = (await new TestBrowser().request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, { headers: json }))
      .body as RecoveryFlow;
    expect(flow.active).toBe("link");
    expect(
      inputs(flow)
        .filter((n) => n.group === "link")
        .map((n) => n.name),
    ).toEqual(["email", "method"]);

    const browser = new TestBrowser();
    const opened = await browser.request(data.recovery_link);
    expect(opened.status).toBe(303);
    const settingsId = SETTINGS_PAGE.exec(opened.location ?? "")?.[1] ?? "";
    expect(settingsId).not.toBe("");
    expect(await signedInAs(browser)).toEqual({ id, method: "link_recovery" });
    const settings = await browser.request(`${kratos.publicUrl}/self-service/settings/flows?id=${settingsId}`, { headers: json });
    expect(settings.status).toBe(200);
    expect(((settings.body as RecoveryFlow).ui.messages ?? []).map((m) => m.id)).toEqual([1060001]);

    // Used once: the next opening is a fresh recovery flow carrying 4060004 (retryRecoveryFlowWithMessage).
    const again = await new TestBrowser().request(data.recovery_link, { headers: json });
    expect(again.status).toBe(303);
    expect(again.location).toMatch(/^http:\/\/ciam\.localhost:3000\/recovery\?flow=/);
  });

  it("link opened by a client asking for JSON is still a 303 (the link strategy only redirects)", async () => {
    const id = await customer();
    const { data } = await kratos.identity.createRecoveryLinkForIdentity({ createRecoveryLinkForIdentityBody: { identity_id: id } });
    const browser = new TestBrowser();
    const opened = await browser.request(data.recovery_link, { headers: json });
    expect(opened.status).toBe(303);
    expect(opened.location).toMatch(SETTINGS_PAGE);
    expect((await signedInAs(browser)).id).toBe(id);
  });

  it("code (code/strategy_recovery_admin.go): the flow holds only the code input and submit; a form post signs in and 303s to settings", async () => {
    const id = await customer();
    const { status, data } = await kratos.identity.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: id },
    });
    expect(status).toBe(201);
    const flowId = new URL(data.recovery_link).searchParams.get("flow") ?? "";
    expect(data.recovery_link).toBe(`http://ciam.localhost:3000/recovery?flow=${flowId}`);

    // Opened in a browser that never saw the flow: no CSRF cookie is needed (DangerousSkipCSRFCheck).
    const browser = new TestBrowser();
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, { headers: json });
    expect(fetched.status).toBe(200);
    const flow = fetched.body as RecoveryFlow;
    expect(flow).toMatchObject({ state: "sent_email", active: "code", type: "browser" });
    expect(inputs(flow).map((n) => [n.group, n.name, n.type])).toEqual([
      ["code", "code", "text"],
      ["code", "method", "submit"],
    ]);

    const done = await browser.request(flow.ui.action, { form: { method: "code", code: data.recovery_code } });
    expect(done.status).toBe(303);
    expect(done.location).toMatch(SETTINGS_PAGE);
    expect(await signedInAs(browser)).toEqual({ id, method: "code_recovery" });
  });

  it("refuses unknown identities as each strategy does: 404 for code, 400 for link", async () => {
    const nobody = "00000000-0000-4000-8000-000000000000";
    const code = await expectFailure(
      kratos.identity.createRecoveryCodeForIdentity({ createRecoveryCodeForIdentityBody: { identity_id: nobody } }),
    );
    expect(code.status).toBe(404);
    expect(code.data.error).toMatchObject({ code: 404, message: "Unable to locate the resource", reason: "could not find identity" });
    const link = await expectFailure(
      kratos.identity.createRecoveryLinkForIdentity({ createRecoveryLinkForIdentityBody: { identity_id: nobody } }),
    );
    expect(link.status).toBe(400);
    expect(link.data.error).toMatchObject({ reason: "The requested identity id does not exist." });
  });

  it("names the strategy in `active` from the moment a recovery flow is created (recovery.NewFlow)", async () => {
    const { data } = await kratos.frontend.createNativeRecoveryFlow();
    expect(data.active).toBe("code");
    const { data: verification } = await kratos.frontend.createNativeVerificationFlow();
    expect(verification.active).toBe("code");
  });
});
