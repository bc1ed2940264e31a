import { afterEach, describe, expect, it } from "vitest";
import { fakeUpstream, type Responder } from "../testing/fake-upstream";
import { HydraAdminClient } from "./client";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function hydraWith(responder: Responder) {
  const upstream = await fakeUpstream(responder);
  close = upstream.close;
  return { hydra: new HydraAdminClient(upstream.url), requests: upstream.requests };
}

describe("HydraAdminClient", () => {
  it("fetches a login request and accepts it, returning where the browser goes next", async () => {
    const { hydra, requests } = await hydraWith((req) =>
      req.method === "GET"
        ? { status: 200, body: { challenge: "c1", skip: false, subject: "", client: { client_id: "rp" }, requested_scope: ["openid"], request_url: "http://x" } }
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
