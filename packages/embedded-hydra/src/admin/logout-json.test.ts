import { describe, expect, it } from "vitest";
import type { Flow } from "../flows/repository";
import { logoutRequestToJson } from "./logout-json";

function logoutFlow(request: Record<string, unknown>): Flow {
  return {
    challenge: "challenge-1",
    kind: "logout",
    state: "pending",
    verifier: null,
    interactionUid: null,
    subject: "alice",
    clientId: null,
    csrf: null,
    request: { ...request, _private: { session_uid: "uid", post_logout_redirect: "http://example.com/" } },
    handled: null,
    requestedAt: new Date("2026-07-24T10:00:00.500Z"),
    expiresAt: new Date("2026-07-24T10:30:00.500Z"),
  };
}

describe("logout request JSON (Hydra flow/consent_types.go LogoutRequest, consent/handler.go getOAuth2LogoutRequest)", () => {
  it("OP-initiated: times rounded to the second as issueLogoutVerifier sets them (Round(time.Second)), no client", () => {
    const json = logoutRequestToJson(
      logoutFlow({ subject: "alice", sid: "sid-1", request_url: "http://hydra/oauth2/sessions/logout", rp_initiated: false }),
    );
    expect(json).toEqual({
      challenge: "challenge-1",
      subject: "alice",
      sid: "sid-1",
      request_url: "http://hydra/oauth2/sessions/logout",
      rp_initiated: false,
      expires_at: "2026-07-24T10:30:01Z",
      requested_at: "2026-07-24T10:00:01Z",
      client: null,
    });
    // The struct's field order, as encoding/json writes it.
    expect(Object.keys(json)).toEqual([
      "challenge",
      "subject",
      "sid",
      "request_url",
      "rp_initiated",
      "expires_at",
      "requested_at",
      "client",
    ]);
  });

  it("RP-initiated (id_token_hint): issueLogoutVerifier sets no RequestedAt/ExpiresAt, so both are null; the client is shown", () => {
    const client = { client_id: "app", client_name: "App" };
    const json = logoutRequestToJson(
      logoutFlow({
        subject: "alice",
        sid: "sid-2",
        request_url: "http://hydra/oauth2/sessions/logout?id_token_hint=x",
        rp_initiated: true,
        client,
      }),
    );
    expect(json).toMatchObject({ rp_initiated: true, expires_at: null, requested_at: null, client });
    expect(JSON.stringify(json)).not.toContain("_private");
  });

  it('omits an empty sid (json:"sid,omitempty")', () => {
    const json = logoutRequestToJson(logoutFlow({ subject: "alice", sid: "", request_url: "u", rp_initiated: false }));
    expect("sid" in json).toBe(false);
  });
});
