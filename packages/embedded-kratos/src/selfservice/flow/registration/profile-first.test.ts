import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../../../testing/browser";
import { csrfOf } from "../../../testing/flow-json";
import {
  startKratos,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";

type Node = {
  group: string;
  attributes: { name?: string; type?: string; value?: unknown };
  messages: { id: number }[];
  meta: { label?: { id: number; text: string } };
};
type FlowJson = { id: string; active?: string; state: string; ui: { nodes: Node[]; messages?: { id: number; text: string }[] } };

const summary = (flow: FlowJson) =>
  flow.ui.nodes.map(
    (n) =>
      `${n.group}:${n.attributes.name}:${n.attributes.type}:${JSON.stringify(n.attributes.value ?? "").replace(/^"|"$/g, "")}:${n.meta.label?.id ?? ""}`,
  );
const node = (flow: FlowJson, name: string) => flow.ui.nodes.find((n) => n.attributes.name === name);
const registration = (style?: string, legacy?: boolean) => ({
  selfservice: { flows: { registration: { style, ...(legacy === undefined ? {} : { enable_legacy_one_step: legacy }) } } },
});

/**
 * Two-step registration as Kratos v26.2 runs it by default
 * (`selfservice.flows.registration.style: profile_first`, embedx/config.schema.json;
 * config.SelfServiceFlowRegistrationTwoSteps): selfservice/strategy/profile/registration.go
 * (PopulateRegistrationMethodProfile, PopulateRegistrationMethodCredentials,
 * Strategy.Register → showCredentialsSelection / returnToProfileForm), and the
 * credential strategies' PopulateRegistrationMethodCredentials (password/registration.go,
 * code/strategy_registration.go).
 */
describe("profile-first registration", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const traits = () => ({ email: uniqueEmail("profile-first"), name: { first: "Ada", last: "Lovelace" } });

  beforeAll(
    async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_profile_first", { configOverrides: registration("profile_first") })),
  );
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  async function newFlow(server = kratos): Promise<FlowJson> {
    const res = await fetch(`${server.publicUrl}/self-service/registration/api`);
    expect(res.status).toBe(200);
    return (await res.json()) as FlowJson;
  }
  async function submit(flow: FlowJson, body: Record<string, unknown>): Promise<{ status: number; body: FlowJson }> {
    const res = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as FlowJson };
  }
  const toCredentials = async (t: Record<string, unknown>) => {
    const flow = await newFlow();
    return submit(flow, { method: "profile", screen: "credential-selection", traits: t });
  };

  it("profile screen: the schema's traits and Sign up (1040001) submitting method=profile, no credentials", async () => {
    expect(summary(await newFlow())).toEqual([
      "default:csrf_token:hidden::",
      "default:traits.email:email::1070002",
      "default:traits.name.first:text::1070002",
      "default:traits.name.last:text::1070002",
      "profile:method:submit:profile:1040001",
    ]);
  });

  it("credential selection: traits hidden with their values, the credential methods, Back (1040008), message 1040009, 400 for JSON", async () => {
    const t = traits();
    const { status, body } = await toCredentials(t);
    expect(status).toBe(400);
    expect(body.state).toBe("choose_method");
    expect(body.active).toBeUndefined();
    expect(body.ui.messages).toEqual([{ id: 1040009, text: "Please choose a credential to authenticate yourself with.", type: "info" }]);
    expect(summary(body)).toEqual([
      "default:csrf_token:hidden::",
      `default:traits.email:hidden:${t.email}:1070002`,
      "default:traits.name.first:hidden:Ada:1070002",
      "default:traits.name.last:hidden:Lovelace:1070002",
      "code:method:submit:code:1040006",
      "password:password:password::1070001",
      "password:method:submit:password:1040001",
      "profile:screen:submit:previous:1040008",
    ]);
  });

  it("a code sent from credential selection: populateEmailSentFlow's form, unsorted, with a button back to it", async () => {
    const t = traits();
    const { body: selection } = await toCredentials(t);
    const sent = await submit(selection, { method: "code", traits: t });
    expect(sent.status).toBe(400);
    expect(sent.body.state).toBe("sent_email");
    // code/strategy.go populateEmailSentFlow: the `default` inputs as the form had them, the code form, and
    // (SelfServiceFlowRegistrationTwoSteps) nodeRegistrationSelectCredentialsNode; Register answers it unsorted.
    expect(summary(sent.body)).toEqual([
      "default:csrf_token:hidden::",
      `default:traits.email:hidden:${t.email}:1070002`,
      "default:traits.name.first:hidden:Ada:1070002",
      "default:traits.name.last:hidden:Lovelace:1070002",
      "code:method:hidden:code:",
      "code:code:text::1070012",
      "code:method:submit:code:1070009",
      "code:resend:submit:code:1070008",
      "profile:screen:submit:credential-selection:1040008",
    ]);
  });

  it("traits that fail the schema keep the profile screen with the field's message and the submitted values", async () => {
    const { status, body } = await toCredentials({ email: "not-an-address", name: { first: "Ada" } });
    expect(status).toBe(400);
    expect(node(body, "traits.email")?.attributes).toMatchObject({ type: "email", value: "not-an-address" });
    expect(node(body, "traits.email")?.messages.map((m) => m.id)).toEqual([4000040]);
    expect(node(body, "method")?.attributes.value).toBe("profile");
    expect(node(body, "password")).toBeUndefined();
  });

  it("a refused password keeps the credential-selection screen; the password signs up from it", async () => {
    const t = traits();
    const first = await newFlow();
    await submit(first, { method: "profile", screen: "credential-selection", traits: t });
    const weak = await submit(first, { method: "password", password: "short", traits: t });
    expect(weak.status).toBe(400);
    expect(node(weak.body, "password")?.messages.map((m) => m.id)).toEqual([4000032]);
    expect(node(weak.body, "traits.email")?.attributes).toMatchObject({ type: "hidden", value: t.email });
    expect(node(weak.body, "screen")?.attributes.value).toBe("previous");

    const done = await fetch(`${kratos.publicUrl}/self-service/registration?flow=${first.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: t }),
    });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { identity: { traits: { email: string } } }).identity.traits.email).toBe(t.email);
  });

  it("screen=previous returns to the profile screen with the traits filled in (returnToProfileForm)", async () => {
    const t = traits();
    const flow = await newFlow();
    await submit(flow, { method: "profile", screen: "credential-selection", traits: t });
    const { status, body } = await submit(flow, { method: "profile", screen: "previous", traits: t });
    expect(status).toBe(400);
    expect(body.ui.messages ?? []).toEqual([]);
    expect(summary(body)).toEqual([
      "default:csrf_token:hidden::",
      `default:traits.email:email:${t.email}:1070002`,
      "default:traits.name.first:text:Ada:1070002",
      "default:traits.name.last:text:Lovelace:1070002",
      "profile:method:submit:profile:1040001",
    ]);
  });

  it("answers hostile profile-screen submissions without a 5xx", async () => {
    const bodies: unknown[] = [
      { method: "profile", screen: "credential-selection", traits: "not-an-object" },
      { method: "profile", screen: "credential-selection", traits: [1, 2] },
      { method: "profile", screen: { nested: true }, traits: traits() },
      { method: "profile", screen: "elsewhere", traits: traits() },
      { method: "profile:back", traits: { email: { $gt: "" } } },
      { method: "profile", screen: "previous", traits: { email: "x".repeat(100_000) } },
      { screen: "credential-selection" },
    ];
    for (const body of bodies) {
      const flow = await newFlow();
      const { status } = await submit(flow, body as Record<string, unknown>);
      expect(status, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
    }
  });

  it("browser form posts get a 303 to the registration UI", async () => {
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: "application/json" },
    });
    const flow = init.body as FlowJson;
    const t = traits();
    const res = await browser.request(`${kratos.publicUrl}/self-service/registration?flow=${flow.id}`, {
      method: "POST",
      form: {
        method: "profile",
        screen: "credential-selection",
        "traits.email": t.email,
        "traits.name.first": "Ada",
        "traits.name.last": "Lovelace",
        csrf_token: csrfOf(flow),
      },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`http://ciam.localhost:3000/registration?flow=${flow.id}`);
    const fetched = await browser.request(`${kratos.publicUrl}/self-service/registration/flows?id=${flow.id}`, {
      headers: { Accept: "application/json" },
    });
    expect(node(fetched.body as FlowJson, "traits.email")?.attributes).toMatchObject({ type: "hidden", value: t.email });
  });

  it("screen=previous needs no CSRF token (returnToProfileForm calls no EnsureCSRF); credential-selection does", async () => {
    const browser = new TestBrowser();
    const init = await browser.request(`${kratos.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: "application/json" },
    });
    const flow = init.body as FlowJson;
    const t = traits();
    const form = { "traits.email": t.email, "traits.name.first": "Ada", "traits.name.last": "Lovelace" };
    const action = `${kratos.publicUrl}/self-service/registration?flow=${flow.id}`;
    const back = await browser.request(action, { method: "POST", form: { ...form, method: "profile", screen: "previous" } });
    expect(back.status).toBe(303);
    expect(back.location).toBe(`http://ciam.localhost:3000/registration?flow=${flow.id}`);
    const forward = await browser.request(action, {
      method: "POST",
      headers: { Accept: "application/json" },
      form: { ...form, method: "profile", screen: "credential-selection" },
    });
    expect(forward.status).toBe(403);
    expect((forward.body as { error: { id: string } }).error.id).toBe("security_csrf_violation");
  });

  it("is Kratos' default when `style` is not set; `unified` and enable_legacy_one_step keep the one-step form", async () => {
    const [byDefault, unified, legacy] = await Promise.all([
      startKratos(pg, "ciam_profile_first_default", { configOverrides: registration(undefined) }),
      startKratos(pg, "ciam_profile_first_unified", { configOverrides: registration("unified") }),
      startKratos(pg, "ciam_profile_first_legacy", { configOverrides: registration(undefined, true) }),
    ]);
    try {
      expect(node(await newFlow(byDefault), "method")?.attributes.value).toBe("profile");
      for (const server of [unified, legacy]) {
        const flow = await newFlow(server);
        expect(node(flow, "password")).toBeDefined();
        expect(flow.ui.nodes.some((n) => n.group === "profile")).toBe(false);
      }
      // With one step the profile method answers nothing (Register: ErrStrategyNotResponsible): no strategy, 4010003.
      const oneStep = await newFlow(unified);
      const res = await fetch(`${unified.publicUrl}/self-service/registration?flow=${oneStep.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ method: "profile", screen: "credential-selection", traits: traits() }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as FlowJson).ui.messages?.map((m) => m.id)).toEqual([4010003]);
    } finally {
      await Promise.all([byDefault.close(), unified.close(), legacy.close()]);
    }
  });
});
