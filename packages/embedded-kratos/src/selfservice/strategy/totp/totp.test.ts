import type { SettingsFlow, UiText } from "@ory/client";
import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAM_CONFIG, startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { apiPasswordLogin, createEmployee, expectFailure, inputAttributes, nodeNamed } from "../../../testing/second-factor";

/** The secret Kratos shows next to the QR code (text node 1050006, context.secret). */
function shownSecret(flow: SettingsFlow): string {
  const node = nodeNamed(flow.ui.nodes, "totp_secret_key");
  const text = (node?.attributes as { text?: UiText } | undefined)?.text;
  expect(text?.id).toBe(1050006);
  return String((text?.context as { secret?: string } | undefined)?.secret ?? "");
}

const code = (secret: string) => generateSync({ secret });
const wrongCode = (secret: string) => String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, "0");

describe("TOTP second factor and AAL2 (IAM config, API flows through @ory/client)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_totp", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("enrols TOTP in settings, then requires and accepts it as the second factor", async () => {
    const { id, email } = await createEmployee(kratos);
    const token = await apiPasswordLogin(kratos, email);

    // Enrolment nodes: QR image, secret text, code input and submit, all in group totp.
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const totpNodes = flow.ui.nodes.filter((n) => n.group === "totp");
    expect(totpNodes.map((n) => n.type)).toEqual(["img", "text", "input", "input"]);
    const qr = nodeNamed(flow.ui.nodes, "totp_qr");
    expect(qr?.attributes).toMatchObject({ id: "totp_qr", width: 256, height: 256, node_type: "img" });
    expect((qr?.attributes as { src: string }).src).toMatch(/^data:image\/png;base64,/);
    expect(qr?.meta.label).toEqual({ id: 1050005, text: "Authenticator app QR code", type: "info" });
    expect(nodeNamed(flow.ui.nodes, "totp_secret_key")?.meta.label?.id).toBe(1050017);
    expect(inputAttributes(flow.ui.nodes, "totp_code")).toMatchObject({ type: "text", required: true });
    const secret = shownSecret(flow);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // A wrong code is a node error on totp_code; the same key is still offered.
    const wrong = await expectFailure(
      kratos.frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken: token,
        updateSettingsFlowBody: { method: "totp", totp_code: wrongCode(secret) },
      }),
    );
    expect(wrong.status).toBe(400);
    const rendered = wrong.data as unknown as SettingsFlow;
    expect(nodeNamed(rendered.ui.nodes, "totp_code")?.messages.map((m) => m.id)).toEqual([4000008]);
    expect(shownSecret(rendered)).toBe(secret);

    const { data: saved } = await kratos.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: "totp", totp_code: code(secret) },
    });
    expect(saved.state).toBe("success");
    expect(inputAttributes(saved.ui.nodes, "totp_unlink")).toMatchObject({ type: "submit", value: "true" });
    expect(nodeNamed(saved.ui.nodes, "totp_qr")).toBeUndefined();

    // Enrolling proved the factor: this session is now aal2.
    const enrolled = await kratos.frontend.toSession({ xSessionToken: token });
    expect(enrolled.data.authenticator_assurance_level).toBe("aal2");
    expect(enrolled.data.authentication_methods?.map((m) => m.method)).toEqual(["password", "totp"]);

    const { data: stored } = await kratos.identity.getIdentity({ id, includeCredential: ["totp"] });
    expect(stored.credentials?.totp?.identifiers).toEqual([id]);
    expect(String((stored.credentials?.totp?.config as { totp_url?: string }).totp_url)).toContain(`secret=${secret}`);
    expect(String((stored.credentials?.totp?.config as { totp_url?: string }).totp_url)).toContain("issuer=Olympus+Workforce");

    // A new password-only session no longer satisfies highest_available.
    const aal1 = await apiPasswordLogin(kratos, email);
    const denied = await expectFailure(kratos.frontend.toSession({ xSessionToken: aal1 }));
    expect(denied.status).toBe(403);
    expect((denied.data.error as { id: string }).id).toBe("session_aal2_required");
    expect(String(denied.data.redirect_browser_to)).toContain("/self-service/login/browser?aal=aal2");
    const settingsDenied = await expectFailure(kratos.frontend.createNativeSettingsFlow({ xSessionToken: aal1 }));
    expect(settingsDenied.status).toBe(403);
    expect((settingsDenied.data.error as { id: string }).id).toBe("session_aal2_required");

    // aal=aal2 login offers TOTP with Kratos' nodes and the MFA message.
    const { data: mfa } = await kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: aal1 });
    expect(mfa.requested_aal).toBe("aal2");
    expect(mfa.ui.messages?.map((m) => m.id)).toEqual([1010004]);
    expect(
      mfa.ui.nodes
        .filter((n) => n.group === "totp")
        .map((n) => [n.attributes.node_type, (n.attributes as { name: string }).name, n.meta.label?.id]),
    ).toEqual([
      ["input", "totp_code", 1010006],
      ["input", "method", 1010009],
    ]);
    expect(inputAttributes(mfa.ui.nodes, "password")).toBeUndefined();

    const bad = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: mfa.id,
        xSessionToken: aal1,
        updateLoginFlowBody: { method: "totp", totp_code: wrongCode(secret) },
      }),
    );
    expect(bad.status).toBe(400);
    expect(((bad.data.ui as { messages: { id: number }[] }).messages ?? []).map((m) => m.id)).toContain(4000008);

    const { data: upgraded } = await kratos.frontend.updateLoginFlow({
      flow: mfa.id,
      xSessionToken: aal1,
      updateLoginFlowBody: { method: "totp", totp_code: code(secret) },
    });
    expect(upgraded.session.authenticator_assurance_level).toBe("aal2");
    const whoami = await kratos.frontend.toSession({ xSessionToken: aal1 });
    expect(whoami.status).toBe(200);
    expect(whoami.data.id).toBe(upgraded.session.id);
    expect(whoami.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ["password", "aal1"],
      ["totp", "aal2"],
    ]);
    await kratos.frontend.createNativeSettingsFlow({ xSessionToken: aal1 });
    const already = await expectFailure(kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: aal1 }));
    expect(already.status).toBe(400);
    expect((already.data.error as { id: string }).id).toBe("session_already_available");

    // Unlinking TOTP brings the identity back to aal1: password sessions pass whoami again.
    const { data: unlinkFlow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: aal1 });
    const { data: unlinked } = await kratos.frontend.updateSettingsFlow({
      flow: unlinkFlow.id,
      xSessionToken: aal1,
      updateSettingsFlowBody: { method: "totp", totp_unlink: true },
    });
    expect(unlinked.state).toBe("success");
    expect(nodeNamed(unlinked.ui.nodes, "totp_qr")).toBeDefined();
    const again = await apiPasswordLogin(kratos, email);
    expect((await kratos.frontend.toSession({ xSessionToken: again })).data.authenticator_assurance_level).toBe("aal1");
  });

  it("answers aal=aal2 like Kratos: 401 without a session, no TOTP device → 4000011", async () => {
    const noSession = await expectFailure(kratos.frontend.createNativeLoginFlow({ aal: "aal2" }));
    expect(noSession.status).toBe(401);
    expect((noSession.data.error as { id: string }).id).toBe("session_aal1_required");

    const { email } = await createEmployee(kratos);
    const token = await apiPasswordLogin(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: token });
    expect(flow.ui.nodes.filter((n) => n.group !== "default")).toEqual([]);
    const noDevice = await expectFailure(
      kratos.frontend.updateLoginFlow({
        flow: flow.id,
        xSessionToken: token,
        updateLoginFlowBody: { method: "totp", totp_code: "123456" },
      }),
    );
    expect(noDevice.status).toBe(400);
    expect(((noDevice.data.ui as { messages: { id: number }[] }).messages ?? []).map((m) => m.id)).toContain(4000011);
  });
});
