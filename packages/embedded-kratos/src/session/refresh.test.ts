import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";

interface SessionJson {
  id: string;
  issued_at: string;
  authenticated_at: string;
  expires_at: string;
  devices: { id: string; user_agent: string | null }[];
  authentication_methods: { method: string }[];
}

// session/manager_http.go ActivateSession (issued_at, authenticated_at, expires_at from now; SetSessionDeviceInformation
// appends the request's device) followed by persistence/sql/persister_session.go UpsertSession, whose update of an
// existing session excludes issued_at and writes no devices.
/** Go's Truncate(time.Microsecond) of an RFC3339Nano text, as pgx stores it. */
const toMicroseconds = (time: string) =>
  time.replace(/\.(\d+)Z$/, (_, digits: string) => {
    const kept = digits.slice(0, 6).replace(/0+$/, "");
    return kept ? `.${kept}Z` : "Z";
  });

describe("a refresh login re-activates the session (ActivateSession + UpsertSession)", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_session_refresh")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const login = async (email: string, opts: { token?: string; userAgent: string }) => {
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": opts.userAgent };
    if (opts.token) headers["X-Session-Token"] = opts.token;
    const flow = (await (
      await fetch(`${kratos.publicUrl}/self-service/login/api${opts.token ? "?refresh=true" : ""}`, { headers })
    ).json()) as {
      id: string;
    };
    const res = await fetch(`${kratos.publicUrl}/self-service/login?flow=${flow.id}`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ method: "password", identifier: email, password: STRONG_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { session: SessionJson; session_token?: string };
  };

  it("answers the session with issued_at renewed and the new device appended, while the stored session keeps both", async () => {
    const email = uniqueEmail("refresh");
    await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email, name: { first: "R", last: "F" } },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const first = await login(email, { userAgent: "first-device" });
    const token = first.session_token ?? "";
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const refreshed = (await login(email, { token, userAgent: "second-device" })).session;
    expect(refreshed.id).toBe(first.session.id);
    expect(refreshed.issued_at).toBe(refreshed.authenticated_at);
    expect(Date.parse(refreshed.issued_at)).toBeGreaterThan(Date.parse(first.session.issued_at));
    expect(refreshed.devices.map((d) => d.user_agent)).toEqual(["first-device", "second-device"]);
    expect(refreshed.devices[1]?.id).toBe("00000000-0000-0000-0000-000000000000");
    expect(refreshed.authentication_methods.map((m) => m.method)).toEqual(["password", "password"]);

    const whoami = (await (
      await fetch(`${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } })
    ).json()) as SessionJson;
    // The login answers carry time.Now()'s nanoseconds; whoami reads Postgres' microseconds.
    expect(whoami.issued_at).toBe(toMicroseconds(first.session.issued_at));
    expect(whoami.authenticated_at).toBe(toMicroseconds(refreshed.authenticated_at));
    expect(whoami.expires_at).toBe(toMicroseconds(refreshed.expires_at));
    expect(whoami.devices.map((d) => d.user_agent)).toEqual(["first-device"]);
  });
});
