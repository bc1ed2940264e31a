import type { SettingsFlow, UiNode, UiText } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAM_CONFIG, startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { apiPasswordLogin, createEmployee, expectFailure, nodeNamed } from "../../../testing/second-factor";

/** The codes of the `lookup_secret_codes` text node (1050015, one 1050009/1050014 message per code). */
function shownCodes(nodes: UiNode[]): UiText[] {
  const text = (nodeNamed(nodes, "lookup_secret_codes")?.attributes as { text?: UiText } | undefined)?.text;
  expect(text?.id).toBe(1050015);
  return (text?.context as { secrets?: UiText[] } | undefined)?.secrets ?? [];
}

const lookupButtons = (flow: SettingsFlow) =>
  flow.ui.nodes
    .filter((n) => n.group === "lookup_secret")
    .map((n) => ("name" in n.attributes ? n.attributes.name : "id" in n.attributes ? n.attributes.id : ""));

const flowMessages = (data: Record<string, unknown>) => ((data.ui as { messages?: { id: number }[] }).messages ?? []).map((m) => m.id);

describe("lookup secrets (backup codes) as a second factor", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("iam_lookup", { configPath: IAM_CONFIG })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("regenerates, confirms, reveals and disables codes; each code signs in once", async () => {
    const { email } = await createEmployee(kratos);
    const token = await apiPasswordLogin(kratos, email);
    const update = (flow: string, body: Record<string, unknown>, xSessionToken = token) =>
      kratos.frontend.updateSettingsFlow({ flow, xSessionToken, updateSettingsFlowBody: { method: "lookup_secret", ...body } });

    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    expect(lookupButtons(flow)).toEqual(["lookup_secret_regenerate"]);
    expect(nodeNamed(flow.ui.nodes, "lookup_secret_regenerate")?.meta.label).toEqual({
      id: 1050008,
      text: "Generate new backup recovery codes",
      type: "info",
    });

    // Confirming before generating is refused.
    const early = await expectFailure(update(flow.id, { lookup_secret_confirm: true }));
    expect(early.status).toBe(400);

    // Regenerate shows 12 codes and a confirm button, without saving anything yet.
    const { data: generated } = await update(flow.id, { lookup_secret_regenerate: true });
    expect(generated.state).toBe("show_form");
    // continueSettingsFlowRegenerate appends codes and confirm at the form's end, unsorted.
    expect(lookupButtons(generated)).toEqual(["lookup_secret_codes", "lookup_secret_confirm"]);
    expect(generated.ui.nodes.slice(-2).map((n) => n.group)).toEqual(["lookup_secret", "lookup_secret"]);
    const codes = shownCodes(generated.ui.nodes).map((m) => m.text);
    expect(codes).toHaveLength(12);
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]{8}$/);
    expect(nodeNamed(generated.ui.nodes, "lookup_secret_codes")?.meta.label?.id).toBe(1050010);
    expect((await kratos.frontend.toSession({ xSessionToken: token })).data.authenticator_assurance_level).toBe("aal1");

    const { data: confirmed } = await update(flow.id, { lookup_secret_confirm: true });
    expect(confirmed.state).toBe("success");
    expect(lookupButtons(confirmed)).toEqual(["lookup_secret_reveal", "lookup_secret_disable"]);
    expect((await kratos.frontend.toSession({ xSessionToken: token })).data.authentication_methods?.map((m) => m.method)).toEqual([
      "password",
      "lookup_secret",
    ]);

    // Password-only sessions must now complete a second factor.
    const second = await apiPasswordLogin(kratos, email);
    expect((await expectFailure(kratos.frontend.toSession({ xSessionToken: second }))).status).toBe(403);
    const { data: mfa } = await kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: second });
    expect(
      mfa.ui.nodes.filter((n) => n.group === "lookup_secret").map((n) => [(n.attributes as { name: string }).name, n.meta.label?.id]),
    ).toEqual([
      ["lookup_secret", 1010007],
      ["method", 1010010],
    ]);
    const login = (xSessionToken: string, flowId: string, code: string) =>
      kratos.frontend.updateLoginFlow({
        flow: flowId,
        xSessionToken,
        updateLoginFlowBody: { method: "lookup_secret", lookup_secret: code },
      });

    const invalid = await expectFailure(login(second, mfa.id, "zzzzzzzz"));
    expect(invalid.status).toBe(400);
    expect(flowMessages(invalid.data)).toContain(4000016);

    const [first = "", other = ""] = codes;
    const { data: ok } = await login(second, mfa.id, first);
    expect(ok.session.authenticator_assurance_level).toBe("aal2");
    expect((await kratos.frontend.toSession({ xSessionToken: second })).status).toBe(200);

    // The same code is rejected next time; another one works.
    const third = await apiPasswordLogin(kratos, email);
    const { data: mfa2 } = await kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: third });
    const reused = await expectFailure(login(third, mfa2.id, first));
    expect(reused.status).toBe(400);
    expect(flowMessages(reused.data)).toContain(4000012);
    expect((await login(third, mfa2.id, other)).data.session.authenticator_assurance_level).toBe("aal2");

    // Reveal lists used codes as "used" (1050014) and stays in show_form.
    const { data: settings } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: third });
    const { data: revealed } = await update(settings.id, { lookup_secret_reveal: true }, third);
    expect(revealed.state).toBe("show_form");
    const shown = shownCodes(revealed.ui.nodes);
    expect(shown.filter((m) => m.id === 1050014)).toHaveLength(2);
    expect(shown.filter((m) => m.id === 1050009).map((m) => m.text)).toEqual(codes.filter((c) => c !== first && c !== other));
    // lookup/settings.go continueSettingsFlowReveal: the lookup nodes removed, codes, disable and regenerate
    // upserted at the form's end, and the flow answered unsorted (sorted, regenerate would come first).
    expect(lookupButtons(revealed)).toEqual(["lookup_secret_codes", "lookup_secret_disable", "lookup_secret_regenerate"]);
    expect(revealed.ui.nodes.slice(-3).every((n) => n.group === "lookup_secret")).toBe(true);

    // Disabling removes the method: password sessions satisfy highest_available again.
    const { data: disabled } = await update(settings.id, { lookup_secret_disable: true }, third);
    expect(disabled.state).toBe("success");
    expect(lookupButtons(disabled)).toEqual(["lookup_secret_regenerate"]);
    const fourth = await apiPasswordLogin(kratos, email);
    expect((await kratos.frontend.toSession({ xSessionToken: fourth })).data.authenticator_assurance_level).toBe("aal1");
  });

  it("spends a code once even when two logins race for it", async () => {
    const { email } = await createEmployee(kratos);
    const token = await apiPasswordLogin(kratos, email);
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const update = (body: Record<string, unknown>) =>
      kratos.frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken: token,
        updateSettingsFlowBody: { method: "lookup_secret", ...body },
      });
    const { data: generated } = await update({ lookup_secret_regenerate: true });
    const code = shownCodes(generated.ui.nodes)[0]?.text ?? "";
    await update({ lookup_secret_confirm: true });

    const sessions = await Promise.all([apiPasswordLogin(kratos, email), apiPasswordLogin(kratos, email)]);
    const flows = await Promise.all(sessions.map((t) => kratos.frontend.createNativeLoginFlow({ aal: "aal2", xSessionToken: t })));
    const results = await Promise.allSettled(
      sessions.map((t, i) =>
        kratos.frontend.updateLoginFlow({
          flow: flows[i]?.data.id ?? "",
          xSessionToken: t,
          updateLoginFlowBody: { method: "lookup_secret", lookup_secret: code },
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});
