import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, Browser, freshIp, nodeValue, STRONG_PASSWORD, uniqueEmail } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeStack } from "@/lib/testing/edge-stack";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";
import { savesProfile, settingsMailAddresses } from "./settings-mails";
import type { KratosFlow } from "./submission";

/**
 * Kratos v26.2.0 runs hook.Verifier after every saved settings submission
 * (driver/registry_default_settings.go PostSettingsPostPersistHooks), which
 * mails each of the identity's addresses still `pending` (selfservice/hook/
 * verification.go Verifier.do): a profile save that changes the e-mail mails
 * the new address, one that keeps it mails nothing.
 */
const settingsFlow = (addresses: { value: string; status: string }[]): KratosFlow => ({
  id: "5f1c1d4e-8a0b-4c55-9d7e-2f3a4b5c6d7e",
  type: "browser",
  ui: { nodes: [{ type: "input", group: "profile", attributes: { name: "traits.email", type: "email", value: addresses[0]?.value } }] },
  identity: { verifiable_addresses: addresses },
});

describe("settingsMailAddresses: the addresses a profile save has Kratos mail", () => {
  it("charges an address the identity does not hold, or holds still pending, and none it holds already", () => {
    const flow = settingsFlow([{ value: "ann@example.com", status: "sent" }]);
    expect(settingsMailAddresses(new Map([["traits.email", ["ann@example.com"]]]), flow)).toEqual([]);
    expect(settingsMailAddresses(new Map([["traits.email", [" Ann@Example.com"]]]), flow)).toEqual([]);
    expect(settingsMailAddresses(new Map([["traits.email", ["Target@example.com"]]]), flow)).toEqual(["target@example.com"]);
    const pending = settingsFlow([{ value: "ann@example.com", status: "pending" }]);
    expect(settingsMailAddresses(new Map([["traits.email", ["ann@example.com"]]]), pending)).toEqual(["ann@example.com"]);
  });

  it("reads a `traits` value holding an object's text as the traits object, as decoderx sets it (sjson.SetRawBytes)", () => {
    const flow = settingsFlow([{ value: "ann@example.com", status: "sent" }]);
    const asText = (traits: string) => settingsMailAddresses(new Map([["traits", [traits]]]), flow);
    expect(asText('{"email":"Victim@example.com"}')).toEqual(["victim@example.com"]);
    expect(asText(' {"email":"ann@example.com"}')).toEqual([]);
    expect(asText("victim@example.com")).toEqual([]);
    expect(asText('{"email":')).toEqual([]);
  });

  it("reads the profile strategy's method only", () => {
    expect(savesProfile(new Map([["method", ["profile"]]]))).toBe(true);
    expect(savesProfile(new Map([["method", ["password"]]]))).toBe(false);
    expect(savesProfile(new Map())).toBe(false);
  });
});

describe("settings profile saves through the edge (CIAM)", () => {
  let stack: EdgeStack;
  beforeAll(async () => {
    stack = await startEdgeStack("ciam", {
      limits: { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] }, sends: { per_address: { max: 2, window: "1h" } } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  type Flow = { id: string; ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[] } };

  /** A browser signed up on `target`'s Kratos, and a profile save with the body `bodyOf` makes of its fields. */
  const signedUpBrowser = async (target: EdgeStack, bodyOf: (fields: Record<string, unknown>) => string = (f) => JSON.stringify(f)) => {
    const browser = new Browser();
    const ip = freshIp();
    const json = (url: string, body?: string) =>
      browser.fetch(url, {
        method: body === undefined ? "GET" : "POST",
        headers: {
          Accept: "application/json",
          "X-Forwarded-For": ip,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
      });
    const registration = (await (await json(`${target.hera.kratos}/self-service/registration/browser`)).json()) as Flow;
    const registered = await json(
      registration.ui.action,
      JSON.stringify({
        method: "password",
        csrf_token: nodeValue(registration, "csrf_token"),
        traits: { email: uniqueEmail("settings-owner") },
        password: STRONG_PASSWORD,
      }),
    );
    expect(registered.status).toBe(200);
    return async (email: string) => {
      const flow = (await (await json(`${target.hera.kratos}/self-service/settings/browser`)).json()) as Flow;
      return answerOf(
        await json(flow.ui.action, bodyOf({ method: "profile", csrf_token: nodeValue(flow, "csrf_token"), traits: { email } })),
      );
    };
  };

  it("charges a JSON save followed by more bytes: Kratos' json.Decoder reads the first value and saves it", async () => {
    const save = await signedUpBrowser(stack, (fields) => `${JSON.stringify(fields)}x`);
    const [first, second] = [uniqueEmail("settings-trailing"), uniqueEmail("settings-trailing")];
    const refused: boolean[] = [];
    for (const email of [first, second, first, second, first]) refused.push((await save(email)).messages.includes(RATE_LIMITED_MESSAGE_ID));
    expect(refused).toEqual([false, false, false, false, true]);
  });

  it("keeps the charge of a save Kratos pauses for a fresh sign-in: it mails when the flow resumes", async () => {
    const stale = await startEdgeStack(
      "ciam",
      { limits: { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] }, sends: { per_address: { max: 2, window: "1h" } } } },
      { configOverrides: { selfservice: { flows: { settings: { privileged_session_max_age: "1s" } } } } },
    );
    try {
      const save = await signedUpBrowser(stale);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const target = uniqueEmail("settings-paused");
      const answers = [await save(target), await save(target), await save(target)];
      expect(answers.slice(0, 2).map((a) => a.status)).toEqual([403, 403]);
      expect(answers[2]?.messages).toContain(RATE_LIMITED_MESSAGE_ID);
    } finally {
      await stale.stop();
    }
  });

  it("charges each new address a profile save mails, and not a save that keeps the address", async () => {
    const save = await signedUpBrowser(stack);
    const [first, second] = [uniqueEmail("settings-target"), uniqueEmail("settings-target")];
    const refused: boolean[] = [];
    // Back and forth: each save adds an address Kratos mails; the third of one address meets its limit of 2.
    for (const email of [first, second, first, second, first]) refused.push((await save(email)).messages.includes(RATE_LIMITED_MESSAGE_ID));
    expect(refused).toEqual([false, false, false, false, true]);
    // The identity still holds `second` (already mailed twice): saving the profile with it again mails nothing and is not charged.
    for (let i = 0; i < 3; i++) {
      const kept = await save(second);
      expect(kept.status).toBe(200);
      expect(kept.messages).not.toContain(RATE_LIMITED_MESSAGE_ID);
    }
  });
});
