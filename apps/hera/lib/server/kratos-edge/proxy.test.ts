import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, createPerson, freshIp, nodeValue, STRONG_PASSWORD, uniqueEmail, WRONG_PASSWORD } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { KRATOS_PROXY_PREFIX } from "./edge";
import { RATE_LIMITED_MESSAGE_ID, REFUSAL_COOKIE } from "./refusal";

/**
 * Hera's same-origin proxy in front of the embedded CIAM Kratos, driven as a
 * browser drives it: Ory Elements' JSON calls and plain HTML form posts, with
 * Kratos' cookies living on Hera's host only.
 */
type Flow = {
  id: string;
  ui: { action: string; nodes: { attributes: { name?: string; value?: unknown } }[]; messages?: { id: number }[] };
};

describe("Kratos' public API on Hera's origin", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;

  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { limits: { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } } });
    hera = stack.hera;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const csrf = (flow: Flow) => nodeValue(flow, "csrf_token") ?? "";

  it("runs registration, settings and sign-out the way Ory Elements does (JSON), with every URL and cookie on Hera's origin", async () => {
    const browser = new Browser();
    const email = uniqueEmail("elements");
    const started = await browser.json(`${hera.kratos}/self-service/registration/browser`);
    expect(started.status).toBe(200);
    const registration = (await started.json()) as Flow;
    // Kratos names Hera's proxy as its public URL, so the form goes back to Hera.
    expect(registration.ui.action).toBe(`${hera.kratos}/self-service/registration?flow=${registration.id}`);
    const registered = await browser.json(registration.ui.action, {
      method: "password",
      csrf_token: csrf(registration),
      traits: { email },
      password: STRONG_PASSWORD,
    });
    expect(registered.status).toBe(200);
    expect(((await registered.json()) as { identity: { traits: { email: string } } }).identity.traits.email).toBe(email);
    expect([...browser.cookies.keys()].map((name) => name.replace(/^csrf_token_[0-9a-f]{64}$/, "csrf_token_<sha256>")).sort()).toEqual([
      "ciam_kratos_session",
      "csrf_token_<sha256>",
    ]);
    // Host-only: no cookie Hera relays carries a Domain attribute.
    expect(browser.received.filter((c) => /;\s*domain=/i.test(c))).toEqual([]);

    const whoami = await browser.json(`${hera.kratos}/sessions/whoami`);
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { identity: { traits: { email: string } } }).identity.traits.email).toBe(email);

    const settings = (await (await browser.json(`${hera.kratos}/self-service/settings/browser`)).json()) as Flow;
    expect(settings.ui.action.startsWith(`${hera.kratos}/self-service/settings?flow=`)).toBe(true);
    const changed = await browser.json(settings.ui.action, {
      method: "password",
      csrf_token: csrf(settings),
      password: `${STRONG_PASSWORD}-new`,
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { state: string }).state).toBe("success");

    const logout = (await (await browser.json(`${hera.kratos}/self-service/logout/browser`)).json()) as { logout_url: string };
    expect(logout.logout_url.startsWith(`${hera.kratos}/self-service/logout?token=`)).toBe(true);
    const loggedOut = await browser.fetch(logout.logout_url);
    expect(loggedOut.status).toBe(303);
    expect(browser.cookies.has("ciam_kratos_session")).toBe(false);
    expect((await browser.json(`${hera.kratos}/sessions/whoami`)).status).toBe(401);
  });

  it("signs in with a plain form post (no JavaScript): 303s, cookies relayed, the session recorded with the client's address", async () => {
    const { email } = await createPerson(stack);
    const browser = new Browser();
    const ip = freshIp();
    const started = await browser.fetch(`${hera.kratos}/self-service/login/browser`, {
      headers: { Accept: "text/html", "X-Forwarded-For": ip },
    });
    expect(started.status).toBe(303);
    const page = new URL(started.headers.get("location") ?? "");
    expect(`${page.origin}${page.pathname}`).toBe("http://ciam.localhost:3000/login");
    const flow = (await (await browser.json(`${hera.kratos}/self-service/login/flows?id=${page.searchParams.get("flow")}`)).json()) as Flow;

    const wrong = await browser.form(flow.ui.action, {
      method: "password",
      csrf_token: csrf(flow),
      identifier: email,
      password: WRONG_PASSWORD,
    });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toBe(`http://ciam.localhost:3000/login?flow=${flow.id}`);

    const signedIn = await browser.fetch(flow.ui.action, {
      method: "POST",
      headers: { Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
      body: new URLSearchParams({ method: "password", csrf_token: csrf(flow), identifier: email, password: STRONG_PASSWORD }).toString(),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("http://ciam.localhost:3000/");
    const session = (await (await browser.json(`${hera.kratos}/sessions/whoami`)).json()) as {
      identity: { id: string };
      devices?: { ip_address?: string }[];
    };
    expect(session.identity.id).toBeTruthy();
    // Kratos records the address Hera resolved, never one the client claims on its own.
    expect(session.devices?.[0]?.ip_address).toBe(ip);
  });

  it("answers a locked-out form post like Kratos answers a refused one: 303 back to the page with the refusal for it to show", async () => {
    const target = uniqueEmail("form-locked");
    const browser = new Browser();
    const ip = freshIp();
    const flow = (await (await browser.json(`${hera.kratos}/self-service/login/browser`)).json()) as Flow;
    const post = () =>
      browser.fetch(flow.ui.action, {
        method: "POST",
        headers: { Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
        body: new URLSearchParams({ method: "password", csrf_token: csrf(flow), identifier: target, password: WRONG_PASSWORD }).toString(),
      });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(303);
    const refused = await post(); // the 6th, inside the 1 s back-off from the 5th
    expect(refused.status).toBe(303);
    expect(refused.headers.get("location")).toBe(`${hera.url}/login?flow=${flow.id}`);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(browser.cookies.get(REFUSAL_COOKIE)).toMatch(new RegExp(`^${flow.id}`));

    // The same refusal as JSON is Kratos' 400 with the flow.
    const asJson = await browser.json(flow.ui.action, {
      method: "password",
      csrf_token: csrf(flow),
      identifier: target,
      password: WRONG_PASSWORD,
    });
    expect(asJson.status).toBe(400);
    expect(((await asJson.json()) as Flow).ui.messages?.map((m) => m.id)).toEqual([RATE_LIMITED_MESSAGE_ID]);
  });

  it("never forwards to Kratos' admin API, and refuses oversized or undecodable submissions before Kratos sees them", async () => {
    const admin = await fetch(`${hera.kratos}/admin/identities`);
    expect(admin.status).toBe(404);
    expect(hera.forwarded).not.toContain("/admin/identities");

    // Kratos' public port redirects these to its admin API (x/redir RedirectToAdminRoute), reading the path decoded
    // and cleaned: none reaches Kratos, none answers with the admin address.
    const forwardedBefore = hera.forwarded.length;
    for (const [method, path] of [
      ["GET", "/identities"],
      ["POST", "/identities"],
      ["DELETE", "/identities/00000000-0000-0000-0000-000000000000/sessions"],
      ["POST", "/recovery/link"],
      ["POST", "/recovery/code"],
      ["GET", "/%61dmin/identities"],
      ["GET", "/self-service/..%2Fidentities"],
    ] as const) {
      const answer = await fetch(`${hera.kratos}${path}`, { method, redirect: "manual" });
      expect([path, answer.status, answer.headers.get("location")]).toEqual([path, 404, null]);
    }
    expect(hera.forwarded.length).toBe(forwardedBefore);

    const browser = new Browser();
    const flow = (await (await browser.json(`${hera.kratos}/self-service/login/browser`)).json()) as Flow;
    const huge = await browser.fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ method: "password", identifier: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const garbled = await browser.fetch(flow.ui.action, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
    expect(((await garbled.json()) as { error: { code: number } }).error.code).toBe(400);
  });

  it("never relays a redirect to Kratos' admin API, whatever route Kratos answered it for", async () => {
    // A route the edge's path check does not know (a future Kratos): here Hera's `/sessions/whoami` reaches Kratos'
    // `/identities`, which Kratos' public port answers with a 307 to its admin base URL (x/redir RedirectToAdminRoute).
    const edge = await stack.startEdge({ upstreamPath: (p) => (p === "/sessions/whoami" ? "/identities" : p) });
    const direct = await fetch(`${stack.kratos.publicUrl}/identities`, { redirect: "manual" });
    expect(direct.status).toBe(307);
    expect(new URL(direct.headers.get("location") ?? "").pathname).toBe("/admin/identities");

    const answer = await fetch(`${edge.kratos}/sessions/whoami`, { redirect: "manual" });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("location")).toBeNull();
    expect(((await answer.json()) as { error: { code: number } }).error.code).toBe(404);
    expect(edge.forwarded).toContain("/sessions/whoami");
  });

  it("serves the proxy under its prefix only", () => {
    expect(hera.kratos).toBe(`${hera.url}${KRATOS_PROXY_PREFIX}`);
    expect(KRATOS_PROXY_PREFIX).toBe("/.ory/kratos");
  });
});
