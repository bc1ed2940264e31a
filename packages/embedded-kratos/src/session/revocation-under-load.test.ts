import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORE_STRATEGIES,
  IAM_CONFIG,
  startKratos,
  startTestPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";
import { apiPasswordLogin, createEmployee } from "../testing/second-factor";

/**
 * Whoami answers from the database on every request: nothing about a session
 * (revoked, expired), its identity (deactivated) or what the identity's
 * credentials require (AAL) may be remembered past the request that read it.
 * Each case keeps whoami busy from several lanes at once, changes the state
 * through the public or admin API, and checks that every request that
 * started after that change had been answered was refused.
 * Kratos: session/manager_http.go FetchFromRequest (one lookup per request)
 * and DoesSessionSatisfy; session/session.go IsActive.
 */

interface Sample {
  startedAt: number;
  status: number;
}

const LANES = 12;

/** Calls whoami from LANES lanes until `stop()` is called; every answer is recorded with when its request started. */
function hammer(publicUrl: string, token: string, clock: () => number = () => performance.now()) {
  const samples: Sample[] = [];
  let running = true;
  const lanes = Array.from({ length: LANES }, async () => {
    while (running) {
      const startedAt = clock();
      const response = await fetch(`${publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } });
      await response.arrayBuffer();
      samples.push({ startedAt, status: response.status });
    }
  });
  return {
    samples,
    /** Resolves once at least `count` answers to requests started after `since` are in. */
    async until(since: number, count: number): Promise<void> {
      while (samples.filter((s) => s.startedAt > since).length < count) await new Promise((r) => setTimeout(r, 5));
    },
    async stop(): Promise<void> {
      running = false;
      await Promise.all(lanes);
    },
  };
}

/** Loads whoami, applies `change` once at least 50 requests succeeded, and returns the answers before and after it. */
async function refusedRightAfter(
  kratos: TestKratos,
  token: string,
  change: () => Promise<unknown>,
): Promise<{ before: Sample[]; after: Sample[] }> {
  const load = hammer(kratos.publicUrl, token);
  try {
    await load.until(-Infinity, 50);
    await change();
    const changedAt = performance.now();
    await load.until(changedAt, 100);
    return { before: load.samples.filter((s) => s.startedAt <= changedAt), after: load.samples.filter((s) => s.startedAt > changedAt) };
  } finally {
    await load.stop();
  }
}

const statuses = (samples: Sample[]) => [...new Set(samples.map((s) => s.status))].sort();

describe("whoami under load refuses a session on the very next request after it stops being valid", () => {
  let pg: TestPostgres;
  let ciam: TestKratos;
  let iam: TestKratos;
  let shortLived: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    [ciam, iam, shortLived] = await Promise.all([
      startKratos(pg, "whoami_revocation_ciam", { strategies: CORE_STRATEGIES }),
      startKratos(pg, "whoami_revocation_iam", { configPath: IAM_CONFIG }),
      startKratos(pg, "whoami_revocation_expiry", { strategies: CORE_STRATEGIES, configOverrides: { session: { lifespan: "3s" } } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ciam?.close(), iam?.close(), shortLived?.close()]);
    await pg?.stop();
  });

  async function customerSession(kratos: TestKratos): Promise<{ token: string; sessionId: string; identityId: string }> {
    const email = uniqueEmail("whoami-load");
    const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
    const { data } = await kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
    });
    return { token: data.session_token ?? "", sessionId: data.session?.id ?? "", identityId: data.identity.id };
  }

  it("a session revoked through the admin API", async () => {
    const { token, sessionId } = await customerSession(ciam);
    const { before, after } = await refusedRightAfter(ciam, token, () => ciam.identity.disableSession({ id: sessionId }));
    expect(statuses(before)).toContain(200);
    expect(statuses(after)).toEqual([401]);
  });

  it("a session whose identity is deactivated", async () => {
    const { token, identityId } = await customerSession(ciam);
    const { before, after } = await refusedRightAfter(ciam, token, () =>
      ciam.identity.patchIdentity({ id: identityId, jsonPatch: [{ op: "replace", path: "/state", value: "inactive" }] }),
    );
    expect(statuses(before)).toContain(200);
    expect(statuses(after)).toEqual([401]);
  });

  it("a session of an identity that adds a second factor (required_aal: highest_available)", async () => {
    const { email } = await createEmployee(iam);
    const loaded = await apiPasswordLogin(iam, email);
    const enrolling = await apiPasswordLogin(iam, email);
    const update = (flow: string, body: Record<string, unknown>) =>
      iam.frontend.updateSettingsFlow({ flow, xSessionToken: enrolling, updateSettingsFlowBody: { method: "lookup_secret", ...body } });
    const { data: settings } = await iam.frontend.createNativeSettingsFlow({ xSessionToken: enrolling });
    await update(settings.id, { lookup_secret_regenerate: true });

    const { before, after } = await refusedRightAfter(iam, loaded, () => update(settings.id, { lookup_secret_confirm: true }));
    expect(statuses(before)).toContain(200);
    // 403 session_aal2_required: the aal1 session no longer satisfies what the identity can reach.
    expect(statuses(after)).toEqual([403]);
  });

  it("a session past its expiry (session.lifespan)", async () => {
    const { token } = await customerSession(shortLived);
    const { data: session } = await shortLived.frontend.toSession({ xSessionToken: token });
    const expiresAt = Date.parse(session.expires_at ?? "");
    const load = hammer(shortLived.publicUrl, token, () => Date.now());
    try {
      await load.until(expiresAt, 100);
    } finally {
      await load.stop();
    }
    const before = load.samples.filter((s) => s.startedAt < expiresAt);
    const after = load.samples.filter((s) => s.startedAt > expiresAt);
    expect(statuses(before)).toContain(200);
    expect(statuses(after)).toEqual([401]);
  });
});
