import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "../testing/browser";
import {
  CORE_STRATEGIES,
  startKratos,
  startKratosWithPostgres,
  startTestPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";
import { csrfOf, expectFailure } from "../testing/flow-json";

const SESSION_COOKIE = "ciam_kratos_session";

async function registerNative(kratos: TestKratos, email: string): Promise<{ token: string; sessionId: string }> {
  const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
  const { data } = await kratos.frontend.updateRegistrationFlow({
    flow: flow.id,
    updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
  });
  return { token: data.session_token ?? "", sessionId: data.session?.id ?? "" };
}

async function loginNative(kratos: TestKratos, email: string): Promise<{ token: string; sessionId: string }> {
  const { data: flow } = await kratos.frontend.createNativeLoginFlow();
  const { data } = await kratos.frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
  });
  return { token: data.session_token ?? "", sessionId: data.session.id };
}

/** An SPA sign-up through @ory/client: the browser ends up with the CSRF and session cookies. */
async function registerBrowser(kratos: TestKratos, email: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const flow = await browser.viaSdk(() => kratos.frontend.createBrowserRegistrationFlow());
  await browser.viaSdk((cookie) =>
    kratos.frontend.updateRegistrationFlow({
      flow: flow.id,
      cookie,
      updateRegistrationFlowBody: { method: "password", csrf_token: csrfOf(flow), password: STRONG_PASSWORD, traits: { email } },
    }),
  );
  return browser;
}

describe("sessions: my other sessions and storage", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  const database = "ciam_sessions";

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(database, { strategies: CORE_STRATEGIES })));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("revokes one of my other sessions with disableMySession (204), never the current one or someone else's (session/handler.go deleteMySession)", async () => {
    const email = uniqueEmail("devices");
    const phone = await registerNative(kratos, email);
    const laptop = await loginNative(kratos, email);
    const stranger = await registerNative(kratos, uniqueEmail("stranger"));

    const { data: others } = await kratos.frontend.listMySessions({ xSessionToken: phone.token });
    expect(others.map((s) => s.id)).toEqual([laptop.sessionId]);

    const revoked = await kratos.frontend.disableMySession({ id: laptop.sessionId, xSessionToken: phone.token });
    expect(revoked.status).toBe(204);
    expect((await expectFailure(kratos.frontend.toSession({ xSessionToken: laptop.token }))).status).toBe(401);
    expect((await kratos.frontend.listMySessions({ xSessionToken: phone.token })).data).toEqual([]);

    const current = await expectFailure(kratos.frontend.disableMySession({ id: phone.sessionId, xSessionToken: phone.token }));
    expect(current.status).toBe(400);
    // persister_session.go RevokeSession matches the identity too and reports no missing row: 204, and the session stays.
    const foreign = await kratos.frontend.disableMySession({ id: stranger.sessionId, xSessionToken: phone.token });
    expect(foreign.status).toBe(204);
    expect((await kratos.frontend.toSession({ xSessionToken: stranger.token })).status).toBe(200);
    expect((await kratos.frontend.toSession({ xSessionToken: phone.token })).status).toBe(200);
  });

  // session/handler.go listMySessions: DoesSessionSatisfy(session.whoami.required_aal) before listing, its ErrAALNotSatisfied written as is.
  it("refuses to list my sessions while the session falls short of session.whoami.required_aal (listMySessions)", async () => {
    const email = uniqueEmail("aal-list");
    const phone = await registerNative(kratos, email);
    await loginNative(kratos, email);
    // A second factor set up elsewhere: the identity could now reach aal2 (CIAM requires highest_available).
    await pg.query(`UPDATE identities SET available_aal = 'aal2' WHERE traits->>'email' = $1`, [email], database);

    const refused = await expectFailure(kratos.frontend.listMySessions({ xSessionToken: phone.token }));
    expect(refused.status).toBe(403);
    const body = refused.data as { error: { id: string }; redirect_browser_to: string };
    expect(body.error.id).toBe("session_aal2_required");
    expect(body.redirect_browser_to).toBe(`${kratos.publicUrl.replace(/\/?$/, "/")}self-service/login/browser?aal=aal2`);
  });

  // persister_session.go RevokeSessionsIdentityExcept: UPDATE … SET active = false WHERE identity_id = ? AND id != ?, its row count answered.
  it("counts every other session of the identity in DELETE /sessions, revoked and expired ones too (session/handler.go deleteMySessions)", async () => {
    const email = uniqueEmail("revoke-count");
    const phone = await registerNative(kratos, email);
    const laptop = await loginNative(kratos, email);
    const tablet = await loginNative(kratos, email);
    await loginNative(kratos, email);
    await kratos.frontend.disableMySession({ id: laptop.sessionId, xSessionToken: phone.token });
    await pg.query(`UPDATE sessions SET expires_at = now() - interval '1 hour' WHERE id = $1`, [tablet.sessionId], database);

    const first = await kratos.frontend.disableMyOtherSessions({ xSessionToken: phone.token });
    expect(first.data).toEqual({ count: 3 });
    // Nothing is left active, yet the same three rows match again.
    const again = await kratos.frontend.disableMyOtherSessions({ xSessionToken: phone.token });
    expect(again.data).toEqual({ count: 3 });
    expect((await kratos.frontend.toSession({ xSessionToken: phone.token })).status).toBe(200);
  });

  // session/handler.go deleteIdentitySessions → persister_session.go DeleteSessionsByIdentity: DELETE, and sqlcon.ErrNoRows when no row went.
  it("deletes an identity's sessions in DELETE /admin/identities/{id}/sessions and answers 404 when there were none (deleteIdentitySessions)", async () => {
    const email = uniqueEmail("admin-delete");
    const phone = await registerNative(kratos, email);
    const laptop = await loginNative(kratos, email);
    await kratos.frontend.disableMySession({ id: laptop.sessionId, xSessionToken: phone.token });
    const { rows } = await pg.query(`SELECT identity_id FROM sessions WHERE id = $1`, [phone.sessionId], database);
    const identityId = (rows[0] as { identity_id: string }).identity_id;
    const remove = (id: string) => fetch(`${kratos.adminUrl}/admin/identities/${id}/sessions`, { method: "DELETE" });

    expect((await remove(identityId)).status).toBe(204);
    const left = await pg.query(`SELECT count(*)::int AS n FROM sessions WHERE identity_id = $1`, [identityId], database);
    expect(left.rows[0]).toEqual({ n: 0 });
    expect((await expectFailure(kratos.frontend.toSession({ xSessionToken: phone.token }))).status).toBe(401);

    // The same answer as any other missing row (getSession of an unknown id): 404 Unable to locate the resource.
    const notFound = await fetch(`${kratos.adminUrl}/admin/sessions/${laptop.sessionId}`);
    expect(notFound.status).toBe(404);
    const expected = await notFound.json();
    for (const id of [identityId, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"]) {
      const res = await remove(id);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(expected);
    }
  });

  it("stores session tokens (and cookie values) only as digests", async () => {
    const native = await registerNative(kratos, uniqueEmail("stored-token"));
    const browser = await registerBrowser(kratos, uniqueEmail("stored-cookie"));
    const cookieValue = browser.cookies.get(SESSION_COOKIE)?.value ?? "";
    expect(native.token).toMatch(/^ory_st_/);
    expect(cookieValue).toMatch(/^ory_st_/);

    const { rows } = await pg.query(`SELECT id, token_hash, row_to_json(s)::text AS everything FROM sessions s`, [], database);
    const dump = rows.map((r: { everything: string }) => r.everything).join("\n");
    for (const secret of [native.token, cookieValue]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice("ory_st_".length));
    }
    const digest = createHash("sha256").update(native.token).digest();
    const stored = rows.find((r: { id: string }) => r.id === native.sessionId) as { token_hash: Buffer } | undefined;
    expect(stored?.token_hash.equals(digest)).toBe(true);
  });
});

describe("cookies: Secure and domain from config", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("marks cookies Secure for an https public base URL and uses session.cookie.domain / cookies.domain", async () => {
    const kratos = await startKratos(pg, "ciam_cookies_https", {
      strategies: CORE_STRATEGIES,
      publicBaseUrl: "https://auth.ciam.example.test/",
      configOverrides: { cookies: { domain: "ciam.example.test" }, session: { cookie: { domain: "auth.ciam.example.test" } } },
    });
    try {
      const browser = await registerBrowser(kratos, uniqueEmail("secure"));
      const csrfName = `csrf_token_${createHash("sha256").update("https://auth.ciam.example.test/").digest("hex")}`;
      expect(browser.cookies.get(csrfName)?.attributes).toMatchObject({
        secure: true,
        domain: "ciam.example.test",
        httponly: true,
        samesite: "Lax",
      });
      expect(browser.cookies.get(SESSION_COOKIE)?.attributes).toMatchObject({
        secure: true,
        domain: "auth.ciam.example.test",
        httponly: true,
        samesite: "Lax",
      });
    } finally {
      await kratos.close();
    }
  });

  it("falls back to cookies.domain for the session cookie and stays non-Secure on plain http", async () => {
    const kratos = await startKratos(pg, "ciam_cookies_domain", {
      strategies: CORE_STRATEGIES,
      configOverrides: { cookies: { domain: "ciam.localhost" } },
    });
    try {
      const browser = await registerBrowser(kratos, uniqueEmail("domain"));
      const session = browser.cookies.get(SESSION_COOKIE)?.attributes;
      expect(session?.domain).toBe("ciam.localhost");
      expect(session?.secure).toBeUndefined();
      expect(browser.setCookieLog.filter((c) => c.startsWith("csrf_token_")).every((c) => c.includes("Domain=ciam.localhost"))).toBe(true);
    } finally {
      await kratos.close();
    }
  });
});
