import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { fakeUpstream, type Responder } from "../testing/fake-upstream";
import { HydraAdminClient, HydraRejection } from "./admin-client";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const clientNameOf = (body: string) => z.object({ client_name: z.string().optional() }).parse(JSON.parse(body)).client_name;

async function upstreamOf(responder: Responder) {
  const upstream = await fakeUpstream(responder);
  closers.push(upstream.close);
  return upstream;
}

async function hydraWith(responder: Responder) {
  const upstream = await upstreamOf(responder);
  return { hydra: new HydraAdminClient(upstream.url), requests: upstream.requests };
}

describe("HydraAdminClient: device flow user codes", () => {
  it("hands Hydra the user code and reports where the browser goes, a refused code and an unknown challenge", async () => {
    let answer: ReturnType<Responder> = {
      status: 200,
      body: { redirect_to: "http://ciam.localhost:3102/oauth2/device/verify?client_id=tv&device_verifier=v" },
    };
    const { hydra, requests } = await hydraWith(() => answer);
    expect(await hydra.acceptDeviceUserCode("d1", "AbCd3467")).toEqual({
      status: "accepted",
      redirectTo: "http://ciam.localhost:3102/oauth2/device/verify?client_id=tv&device_verifier=v",
    });
    expect(requests[0]?.method).toBe("PUT");
    expect(requests[0]?.path).toBe("/admin/oauth2/auth/requests/device/accept?device_challenge=d1");
    expect(JSON.parse(requests[0]?.body ?? "{}")).toEqual({ user_code: "AbCd3467" });
    answer = { status: 400, body: { error: "invalid_request", error_description: "The 'user_code' session could not be found" } };
    expect(await hydra.acceptDeviceUserCode("d1", "wrong")).toEqual({ status: "invalid_code" });
    answer = { status: 404, body: { error: "Not Found" } };
    expect(await hydra.acceptDeviceUserCode("gone", "AbCd3467")).toEqual({ status: "unknown_challenge" });
  });
});

describe("HydraAdminClient: login, consent and logout challenges", () => {
  it("fetches a login request and accepts it, returning where the browser goes next", async () => {
    const { hydra, requests } = await hydraWith((req) =>
      req.method === "GET"
        ? {
            status: 200,
            body: {
              challenge: "c1",
              skip: false,
              subject: "",
              client: { client_id: "rp" },
              requested_scope: ["openid"],
              request_url: "http://x",
            },
          }
        : { status: 200, body: { redirect_to: "http://ciam.localhost:3102/oauth2/auth?login_verifier=v" } },
    );
    expect(await hydra.getLoginRequest("c1")).toMatchObject({ status: "ok", request: { challenge: "c1", skip: false } });
    const to = await hydra.acceptLogin("c1", { subject: "identity-1", acr: "aal1", amr: ["password"], remember: true });
    expect(to).toBe("http://ciam.localhost:3102/oauth2/auth?login_verifier=v");
    expect(requests[0]?.path).toBe("/admin/oauth2/auth/requests/login?login_challenge=c1");
    expect(requests[1]?.method).toBe("PUT");
    expect(requests[1]?.path).toBe("/admin/oauth2/auth/requests/login/accept?login_challenge=c1");
    expect(JSON.parse(requests[1]?.body ?? "{}")).toEqual({ subject: "identity-1", acr: "aal1", amr: ["password"], remember: true });
  });

  it("reports a challenge Hydra already handled (410) and one it does not know", async () => {
    let answer: ReturnType<Responder> = { status: 410, body: { redirect_to: "http://rp/cb?error=x" } };
    const { hydra } = await hydraWith(() => answer);
    expect(await hydra.getConsentRequest("c")).toEqual({ status: "handled", redirectTo: "http://rp/cb?error=x" });
    answer = { status: 404, body: { error: "Not Found" } };
    expect(await hydra.getLogoutRequest("c")).toEqual({ status: "not_found" });
  });

  it("rejects consent with an OAuth2 error", async () => {
    const { hydra, requests } = await hydraWith(() => ({ status: 200, body: { redirect_to: "http://rp/cb?error=access_denied" } }));
    const to = await hydra.rejectConsent("c2", { error: "access_denied", error_description: "The user denied the request" });
    expect(to).toBe("http://rp/cb?error=access_denied");
    expect(requests[0]?.path).toBe("/admin/oauth2/auth/requests/consent/reject?consent_challenge=c2");
  });

  it("throws hydra_unavailable when Hydra is down", async () => {
    const hydra = new HydraAdminClient("http://127.0.0.1:1");
    await expect(hydra.getLoginRequest("c")).rejects.toMatchObject({ id: "hydra_unavailable", httpStatus: 503 });
  });
});

describe("HydraAdminClient: OAuth2 clients and sessions", () => {
  it("creates a client and hands back Hydra's refusal reason", async () => {
    const hydra = await upstreamOf((req) =>
      req.method === "POST" && clientNameOf(req.body) === "bad"
        ? { status: 400, body: { error: "invalid_client_metadata", error_description: "redirect_uris must be https" } }
        : { status: 201, body: { client_id: "c1", client_secret: "s3cret" } },
    );
    const client = new HydraAdminClient(hydra.url, "h".repeat(40));
    expect(await client.createClient({ client_name: "ok" })).toMatchObject({ client_id: "c1", client_secret: "s3cret" });
    await expect(client.createClient({ client_name: "bad" })).rejects.toThrow(new HydraRejection(400, "redirect_uris must be https"));
    expect(hydra.requests[0]?.headers.authorization).toBe(`Bearer ${"h".repeat(40)}`);
  });

  it("revokes one client's consent or all of a subject's", async () => {
    const hydra = await upstreamOf(() => ({ status: 204 }));
    const client = new HydraAdminClient(hydra.url);
    await client.revokeConsentSessions("sub-1", "c1");
    await client.revokeConsentSessions("sub-1");
    expect(hydra.requests.map((r) => r.path)).toEqual([
      "/admin/oauth2/auth/sessions/consent?subject=sub-1&client=c1",
      "/admin/oauth2/auth/sessions/consent?subject=sub-1&all=true",
    ]);
  });

  it("ends all of a subject's login sessions", async () => {
    const hydra = await upstreamOf(() => ({ status: 204 }));
    await new HydraAdminClient(hydra.url, "h".repeat(40)).revokeLoginSessions({ subject: "sub-1" });
    expect(hydra.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /admin/oauth2/auth/sessions/login?subject=sub-1"]);
    expect(hydra.requests[0]?.headers.authorization).toBe(`Bearer ${"h".repeat(40)}`);
  });

  it("ends one login session by its id, and takes a 404 as nothing left to end", async () => {
    const hydra = await upstreamOf(() => ({ status: 404, body: { error: "Not Found" } }));
    await new HydraAdminClient(hydra.url).revokeLoginSessions({ sid: "session-1" });
    expect(hydra.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /admin/oauth2/auth/sessions/login?sid=session-1"]);
  });

  it("reports any other answer to ending login sessions as an unexpected Hydra response", async () => {
    const hydra = await upstreamOf(() => ({ status: 500, body: { error: "server_error" } }));
    await expect(new HydraAdminClient(hydra.url).revokeLoginSessions({ subject: "sub-1" })).rejects.toMatchObject({
      id: "hydra_unexpected_response",
      httpStatus: 502,
    });
  });
});
