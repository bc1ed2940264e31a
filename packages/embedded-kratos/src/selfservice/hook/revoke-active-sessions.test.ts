import type { RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../../config/load";
import { TestBrowser } from "../../testing/browser";
import {
  CIAM_CONFIG,
  IAM_CONFIG,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { configuredHooks } from "./registry";

const NEW_PASSWORD = "a-brand-new-passphrase-2026";

/**
 * `revoke_active_sessions`, as the platform configs use it: a password
 * changed in settings, or a completed recovery, ends every OTHER session of
 * the identity — a thief holding an old session loses it the moment the
 * owner takes the account back. Kratos runs it as a settings post-persist
 * hook (per method, else the flow-wide list) and as a recovery post hook
 * (flow-wide only), sparing the session that made the change.
 */
describe("revoke_active_sessions after a password change and after recovery (CIAM platform config)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_revoke_active_sessions")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function customer(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail("revoke");
    const { data } = await kratos.identity.createIdentity({
      createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { password: STRONG_PASSWORD } } } },
    });
    return { id: data.id, email };
  }

  async function apiLogin(email: string, password = STRONG_PASSWORD): Promise<string> {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    const { data } = await kratos.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: "password", identifier: email, password },
    });
    return data.session_token ?? "";
  }

  const whoami = async (token: string) =>
    (await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } })).status;

  async function settings(token: string, body: Record<string, unknown>): Promise<number> {
    const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const response = await fetch(`${kratos.publicUrl}/self-service/settings?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Session-Token": token },
      body: JSON.stringify(body),
    });
    return response.status;
  }

  it("is configured where the platform needs it, for both domains", () => {
    for (const file of [CIAM_CONFIG, IAM_CONFIG]) {
      const config = loadKratosConfig(file, { warn: () => {} });
      expect(configuredHooks(config, "settings", "password")).toContain("revoke_active_sessions");
      expect(configuredHooks(config, "recovery", undefined)).toContain("revoke_active_sessions");
      expect(configuredHooks(config, "settings", "profile")).not.toContain("revoke_active_sessions");
    }
  });

  it("a password change ends every other session and keeps the one that changed it", async () => {
    const { email } = await customer();
    const [laptop, phone, stolen] = [await apiLogin(email), await apiLogin(email), await apiLogin(email)];
    const stranger = await apiLogin((await customer()).email);

    expect(await settings(laptop, { method: "password", password: NEW_PASSWORD })).toBe(200);

    expect(await whoami(laptop)).toBe(200);
    expect(await whoami(phone)).toBe(401);
    expect(await whoami(stolen)).toBe(401);
    expect(await whoami(stranger)).toBe(200);
    expect(await whoami(await apiLogin(email, NEW_PASSWORD))).toBe(200);
  });

  it("a profile change (no hook configured for it) leaves the other sessions alone", async () => {
    const { email } = await customer();
    const [laptop, phone] = [await apiLogin(email), await apiLogin(email)];
    expect(await settings(laptop, { method: "profile", traits: { email, name: { first: "Ada", last: "Lovelace" } } })).toBe(200);
    expect(await whoami(phone)).toBe(200);
  });

  it("a completed recovery ends every session the identity had, and keeps the recovery's own", async () => {
    const { id, email } = await customer();
    const [phone, stolen] = [await apiLogin(email), await apiLogin(email)];

    const { data } = await kratos.identity.createRecoveryCodeForIdentity({ createRecoveryCodeForIdentityBody: { identity_id: id } });
    const flowId = new URL(data.recovery_link).searchParams.get("flow") ?? "";
    const browser = new TestBrowser();
    const flow = await browser.request(`${kratos.publicUrl}/self-service/recovery/flows?id=${flowId}`, {
      headers: { Accept: "application/json" },
    });
    expect((flow.body as RecoveryFlow).state).toBe("sent_email");
    const done = await browser.request(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      json: { method: "code", code: data.recovery_code },
    });
    expect(done.status).toBe(422); // browser_location_change_required: off to the settings UI, signed in

    expect(await whoami(phone)).toBe(401);
    expect(await whoami(stolen)).toBe(401);
    const recovered = await browser.request(`${kratos.publicUrl}/sessions/whoami`);
    expect(recovered.status).toBe(200);
    expect((recovered.body as { identity: { id: string } }).identity.id).toBe(id);
  });
});

describe("which configured after-hooks a flow runs (as Kratos picks them)", () => {
  const load = (after: Record<string, unknown>, flow: "settings" | "recovery" | "login" = "settings") =>
    loadKratosConfig(CIAM_CONFIG, { warn: () => {}, overrides: { selfservice: { flows: { [flow]: { after } } } } });
  const revoke = [{ hook: "revoke_active_sessions" }];

  it("uses a method's own hooks when it has some, else the flow-wide list", () => {
    const config = load({
      hooks: revoke,
      password: { hooks: [{ hook: "web_hook", config: { url: "https://example.com/hook", method: "POST" } }] },
      profile: { hooks: [] },
    });
    expect(configuredHooks(config, "settings", "password")).toEqual(["web_hook"]);
    // An empty per-method list is no list at all: the flow-wide hooks apply (Kratos' global fallback).
    expect(configuredHooks(config, "settings", "profile")).toEqual(["revoke_active_sessions"]);
    expect(configuredHooks(config, "settings", "totp")).toEqual(["revoke_active_sessions"]);
  });

  it("gives recovery only its flow-wide list", () => {
    const config = load({ hooks: revoke }, "recovery");
    expect(configuredHooks(config, "recovery", undefined)).toEqual(["revoke_active_sessions"]);
  });
});
