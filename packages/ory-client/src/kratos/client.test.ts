import { afterEach, describe, expect, it } from "vitest";
import { fakeUpstream, type Responder } from "../testing/fake-upstream";
import { OryError } from "../ory/errors";
import { KratosClient } from "./client";

const loginFlow = {
  id: "f1",
  type: "browser",
  expires_at: "2030-01-01T00:00:00Z",
  issued_at: "2030-01-01T00:00:00Z",
  request_url: "http://ciam.localhost:3100/self-service/login/browser",
  return_to: "http://ciam.localhost:3002/after",
  state: "choose_method",
  ui: { action: "http://ciam.localhost:3100/self-service/login?flow=f1", method: "POST", nodes: [], messages: [] },
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function kratosWith(responder: Responder) {
  const upstream = await fakeUpstream(responder);
  close = upstream.close;
  return { kratos: new KratosClient({ publicUrl: upstream.url, adminUrl: upstream.url }), requests: upstream.requests };
}

describe("KratosClient flows", () => {
  it("creates a browser flow as JSON, forwarding the cookie and relaying Set-Cookie host-only", async () => {
    const { kratos, requests } = await kratosWith(() => ({
      status: 200,
      body: loginFlow,
      headers: { "Set-Cookie": ["csrf_token_abc=t1; Path=/; Domain=localhost; HttpOnly; SameSite=Lax"] },
    }));
    const result = await kratos.createBrowserFlow("login", { returnTo: "http://ciam.localhost:3002/after", aal: "aal2" }, "a=1; b=2");
    expect(result).toMatchObject({ status: "ok", flow: { id: "f1" } });
    if (result.status !== "ok") throw new Error("unreachable");
    expect(result.setCookie).toEqual(["csrf_token_abc=t1; Path=/; HttpOnly; SameSite=Lax"]);
    const [request] = requests;
    expect(request?.path).toBe(`/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent("http://ciam.localhost:3002/after")}`);
    expect(request?.headers.cookie).toBe("a=1; b=2");
    expect(request?.headers.accept).toContain("application/json");
  });

  it("passes a sign-up's after_verification_return_to to Kratos", async () => {
    const { kratos, requests } = await kratosWith(() => ({ status: 200, body: { ...loginFlow, id: "r1" } }));
    const next = "http://ciam.localhost:3000/login?login_challenge=c1";
    await kratos.createBrowserFlow("registration", { returnTo: next, afterVerificationReturnTo: next }, undefined);
    const query = new URL(requests[0]?.path ?? "", "http://x").searchParams;
    expect(query.get("return_to")).toBe(next);
    expect(query.get("after_verification_return_to")).toBe(next);
  });

  it("fetches a flow by id with the browser's cookies", async () => {
    const { kratos, requests } = await kratosWith(() => ({ status: 200, body: { ...loginFlow, id: "f2" } }));
    const result = await kratos.getFlow("registration", "f2", "csrf=1");
    expect(result).toMatchObject({ status: "ok", flow: { id: "f2" }, setCookie: [] });
    expect(requests[0]?.path).toBe("/self-service/registration/flows?id=f2");
    expect(requests[0]?.headers.cookie).toBe("csrf=1");
  });

  it("asks for a restart, keeping return_to, when the flow expired", async () => {
    const { kratos } = await kratosWith(() => ({
      status: 410,
      body: { error: { id: "self_service_flow_expired", code: 410, details: { return_to: "http://ciam.localhost:3000/x" } } },
    }));
    expect(await kratos.getFlow("login", "old", undefined)).toEqual({
      status: "restart",
      reason: "expired",
      returnTo: "http://ciam.localhost:3000/x",
    });
  });

  it.each([
    [404, { error: { code: 404 } }, "not_found"],
    [403, { error: { id: "security_csrf_violation", code: 403 } }, "csrf"],
    [410, { error: { id: "self_service_flow_replaced", code: 410 } }, "replaced"],
  ] as const)("restarts on %s", async (status, body, reason) => {
    const { kratos } = await kratosWith(() => ({ status, body }));
    expect(await kratos.getFlow("recovery", "x", undefined)).toMatchObject({ status: "restart", reason });
  });

  it("reports an existing session, a disabled flow, a missing session for settings and a required redirect", async () => {
    let answer: ReturnType<Responder> = { status: 400, body: { error: { id: "session_already_available" } } };
    const { kratos } = await kratosWith(() => answer);
    expect(await kratos.createBrowserFlow("login", {}, "s=1")).toEqual({ status: "session_already_available" });
    answer = { status: 400, body: { error: { id: "self_service_flow_disabled" } } };
    expect(await kratos.createBrowserFlow("registration", {}, undefined)).toEqual({ status: "disabled" });
    answer = { status: 401, body: { error: { id: "session_inactive" } } };
    expect(await kratos.createBrowserFlow("settings", {}, undefined)).toEqual({ status: "login_required" });
    answer = {
      status: 403,
      body: { error: { id: "session_aal2_required" }, redirect_browser_to: "http://k/self-service/login/browser?aal=aal2" },
    };
    expect(await kratos.createBrowserFlow("settings", {}, "s=1")).toEqual({
      status: "redirect",
      to: "http://k/self-service/login/browser?aal=aal2",
      reason: "session_aal2_required",
    });
  });

  it("throws a typed OryError for an unexpected answer, never the upstream body", async () => {
    const { kratos } = await kratosWith(() => ({ status: 500, body: { error: { id: "internal", reason: "pq: secret table" } } }));
    const error = await kratos.getFlow("login", "x", undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OryError);
    expect(error).toMatchObject({ id: "kratos_unexpected_response", httpStatus: 502, upstreamStatus: 500 });
    expect(String(error)).not.toContain("secret table");
  });

  it("throws kratos_unavailable (503) when Kratos is down", async () => {
    const kratos = new KratosClient({ publicUrl: "http://127.0.0.1:1", adminUrl: "http://127.0.0.1:1" });
    const error = await kratos.createBrowserFlow("login", {}, undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ id: "kratos_unavailable", httpStatus: 503 });
  });
});

describe("KratosClient sessions", () => {
  it("returns the session, none, or aal2_required", async () => {
    let answer: ReturnType<Responder> = { status: 200, body: { id: "s1", active: true, identity: { id: "i1" } } };
    const { kratos, requests } = await kratosWith(() => answer);
    expect(await kratos.toSession("ciam_kratos_session=x")).toMatchObject({ status: "active", session: { id: "s1" } });
    expect(requests[0]?.headers.cookie).toBe("ciam_kratos_session=x");
    answer = { status: 401, body: { error: { id: "session_inactive" } } };
    expect(await kratos.toSession("ciam_kratos_session=x")).toEqual({ status: "none" });
    answer = { status: 403, body: { error: { id: "session_aal2_required" }, redirect_browser_to: "http://k/aal2" } };
    expect(await kratos.toSession("ciam_kratos_session=x")).toEqual({ status: "aal2_required", redirectTo: "http://k/aal2" });
  });

  it("does not ask Kratos at all without cookies", async () => {
    const { kratos, requests } = await kratosWith(() => ({ status: 500 }));
    expect(await kratos.toSession(undefined)).toEqual({ status: "none" });
    expect(requests).toHaveLength(0);
  });

  it("logs out with the token and relays the clearing cookie", async () => {
    const { kratos, requests } = await kratosWith((req) =>
      req.path.startsWith("/self-service/logout/browser")
        ? { status: 200, body: { logout_url: "http://k/self-service/logout?token=t", logout_token: "t" } }
        : { status: 204, headers: { "Set-Cookie": "ciam_kratos_session=; Max-Age=0; Path=/" } },
    );
    const flow = await kratos.createLogoutFlow("ciam_kratos_session=x");
    expect(flow).toEqual({ logoutUrl: "http://k/self-service/logout?token=t", logoutToken: "t" });
    expect(await kratos.performLogout("t", "ciam_kratos_session=x")).toEqual({ setCookie: ["ciam_kratos_session=; Max-Age=0; Path=/"] });
    expect(requests[1]?.path).toBe("/self-service/logout?token=t");
  });
});

describe("KratosClient browser URL", () => {
  it("announces the browser-facing host when creating a flow server-side", async () => {
    const upstream = await fakeUpstream(() => ({ status: 200, body: loginFlow }));
    close = upstream.close;
    const kratos = new KratosClient({ publicUrl: upstream.url, adminUrl: upstream.url, browserUrl: "http://ciam.localhost:3100" });
    await kratos.createBrowserFlow("login", {}, undefined);
    expect(upstream.requests[0]?.headers["x-forwarded-host"]).toBe("ciam.localhost:3100");
    expect(upstream.requests[0]?.headers["x-forwarded-proto"]).toBe("http");
  });
});
