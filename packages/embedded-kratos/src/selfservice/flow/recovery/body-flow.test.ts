import type { RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeFrom, linkFrom } from "../../../courier/test-smtp";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../../../testing/harness";
import { createIdentity, messageIds, startMailKratos, TestSmtpServer, type MailKratos } from "../../strategy/code/test-helpers";

/**
 * Kratos v26.2.0: recovery/handler.go updateRecoveryFlow loads the flow of
 * `?flow=`, but code/strategy_recovery.go and link/strategy_recovery.go
 * Recover act on GetRecoveryFlow(x.ParseUUID(body.Flow)) — decoderx's
 * r.Form.Get("flow"), the urlencoded body's own value before the query's.
 * The body flow's state picks the step and its code is the one checked;
 * the handler then answers with its own flow as stored.
 */
describe("recovery: the flow a strategy acts on is the body's `flow`", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let v1: MailKratos;
  let v2: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    [v1, v2] = await Promise.all([
      startMailKratos(pg, "ciam_recovery_body_flow_v1", smtp, { selfservice: { methods: { link: { enabled: true } } } }),
      startMailKratos(pg, "ciam_recovery_body_flow_v2", smtp, { feature_flags: { choose_recovery_address: true } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([v1?.close(), v2?.close()]);
    await smtp?.stop();
    await pg?.stop();
  });

  /** A urlencoded submission to `?flow=<query>` (a native flow: no cookie, no CSRF token). */
  const submit = (kratos: MailKratos, queryFlow: string, form: Record<string, string>) =>
    fetch(`${kratos.publicUrl}/self-service/recovery?flow=${queryFlow}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams(form),
      redirect: "manual",
    });
  const stored = async (kratos: MailKratos, id: string) => (await kratos.frontend.getRecoveryFlow({ id })).data;

  it("code (v1): the code is mailed for the body's flow, which moves on; the answer is the query's flow as stored", async () => {
    const email = uniqueEmail("body-flow-code");
    await createIdentity(v1, email);
    const { data: a } = await v1.frontend.createNativeRecoveryFlow();
    const { data: b } = await v1.frontend.createNativeRecoveryFlow();

    const res = await submit(v1, a.id, { method: "code", email, flow: b.id });
    expect(res.status).toBe(200);
    const answered = (await res.json()) as RecoveryFlow;
    expect([answered.id, answered.state]).toEqual([a.id, "choose_method"]);
    expect((await stored(v1, a.id)).state).toBe("choose_method");
    const moved = await stored(v1, b.id);
    expect([moved.state, messageIds(moved)]).toEqual(["sent_email", [1060003]]);
    await smtp.waitFor(email);
  });

  it("a body `flow` naming no recovery flow is sqlcon.ErrNoRows (404), forwarded with the query's flow; nothing is mailed", async () => {
    const email = uniqueEmail("body-flow-missing");
    await createIdentity(v1, email);
    const { data: a } = await v1.frontend.createNativeRecoveryFlow();
    for (const flow of ["00000000-0000-0000-0000-000000000000", "not-a-uuid", ""]) {
      const res = await submit(v1, a.id, { method: "code", email, flow });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Unable to locate the resource");
    }
    expect((await stored(v1, a.id)).state).toBe("choose_method");
    expect(smtp.mailsTo(email)).toEqual([]);
  });

  it("an expired body `flow` replaces the query's flow (WriteFlowError → FromOldFlow(f)) carrying the body flow's expiry", async () => {
    const email = uniqueEmail("body-flow-expired");
    await createIdentity(v1, email);
    const { data: a } = await v1.frontend.createNativeRecoveryFlow();
    const { data: b } = await v1.frontend.createNativeRecoveryFlow();
    await pg.query(
      `UPDATE selfservice_flows SET expires_at = now() - interval '2 hours' WHERE id = $1`,
      [b.id],
      "ciam_recovery_body_flow_v1",
    );

    const res = await submit(v1, a.id, { method: "code", email, flow: b.id });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.pathname).toBe("/self-service/recovery/flows");
    const replacement = await stored(v1, location.searchParams.get("id") ?? "");
    expect(replacement.id).not.toBe(a.id);
    expect(replacement.type).toBe("api");
    expect(messageIds(replacement)).toEqual([4060005]);
    // The minutes are the body flow's (two hours ago), not the query flow's (still valid).
    expect(replacement.ui.messages?.[0]?.text).toMatch(/expired 12\d\.\d\d minutes ago/);
    expect(smtp.mailsTo(email)).toEqual([]);
  });

  it("code (v1): mailing for a browser body flow needs its CSRF token (recoveryHandleFormSubmission's EnsureCSRF with its type)", async () => {
    const email = uniqueEmail("body-flow-csrf");
    await createIdentity(v1, email);
    const { data: a } = await v1.frontend.createNativeRecoveryFlow();
    const browserFlow = await fetch(`${v1.publicUrl}/self-service/recovery/browser`, { headers: { Accept: "application/json" } });
    const b = (await browserFlow.json()) as RecoveryFlow;

    const res = await submit(v1, a.id, { method: "code", email, flow: b.id });
    expect(res.status).toBe(403);
    expect((await stored(v1, a.id)).state).toBe("choose_method");
    expect(smtp.mailsTo(email)).toEqual([]);
  });

  it("link: the link is mailed for the body's flow (its id in the link), the query's flow stays as it was", async () => {
    const email = uniqueEmail("body-flow-link");
    await createIdentity(v1, email);
    const { data: a } = await v1.frontend.createNativeRecoveryFlow();
    const { data: b } = await v1.frontend.createNativeRecoveryFlow();

    const res = await submit(v1, a.id, { method: "link", email, flow: b.id });
    expect(res.status).toBe(200);
    expect(((await res.json()) as RecoveryFlow).id).toBe(a.id);
    expect((await stored(v1, a.id)).state).toBe("choose_method");
    expect((await stored(v1, b.id)).state).toBe("sent_email");
    const link = new URL(linkFrom(await smtp.waitFor(email), `${v1.publicUrl}/self-service/recovery?`));
    expect(link.searchParams.get("flow")).toBe(b.id);
  });

  it("code (v2): the body flow's state decides and its code is the one checked — the query's flow stays at its first screen", async () => {
    const email = uniqueEmail("body-flow-v2");
    await createIdentity(v2, email);
    const { data: b } = await v2.frontend.createNativeRecoveryFlow();
    const asked = await submit(v2, b.id, { method: "code", recovery_address: email });
    expect(asked.status).toBe(200);
    expect((await stored(v2, b.id)).state).toBe("recovery_awaiting_code");
    const code = codeFrom(await smtp.waitFor(email));

    const { data: a } = await v2.frontend.createNativeRecoveryFlow();
    // A wrong code is checked against the body's flow, which answers with its 4060006.
    const wrong = await submit(v2, a.id, { method: "code", code: code === "000000" ? "111111" : "000000", flow: b.id });
    expect(wrong.status).toBe(200);
    const refused = (await wrong.json()) as RecoveryFlow;
    expect([refused.id, messageIds(refused)]).toEqual([b.id, [4060006]]);

    // recoveryIssueSession on the body's flow: a JSON client is sent to the settings UI (422 without continue_with transitions).
    const right = await submit(v2, a.id, { method: "code", code, flow: b.id });
    expect(right.status).toBe(422);
    expect(((await right.json()) as { redirect_browser_to: string }).redirect_browser_to).toMatch(/\/settings\?flow=/);
    expect((await stored(v2, b.id)).state).toBe("passed_challenge");
    expect((await stored(v2, a.id)).state).toBe("recovery_awaiting_address");
  });
});
