import { authenticator } from "otplib";
import type { SettingsFlow, UiText } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAM_CONFIG, startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { apiPasswordLogin, createEmployee, nodeNamed } from "../testing/second-factor";
import { RATE_LIMITED_MESSAGE_ID, RATE_LIMITED_TEXT } from "./messages";
import { createApiFlow, freshIp, passwordAttempt, skipBlocks, submit, type FlowAnswer } from "./testing";

/**
 * Brute force against the IAM config (platform/dev/iam-kratos/olympus-limits.yml):
 * per identifier 5 attempts per 15 min, back-off from the 3rd (2 s, doubling),
 * then 30 min lockout — for passwords, TOTP and lookup codes alike.
 */
const WRONG = "wrong-password-123";
/** Flow messages without the "complete the second factor" prompt every aal2 login flow carries. */
const mfaMessages = (a: FlowAnswer) => a.messages.filter((id) => id !== 1010004);
const summary = (a: FlowAnswer) => ({ status: a.status, retryAfter: a.retryAfter, messages: a.messages, texts: a.texts });

describe("brute-force limits on sign-in secrets (IAM)", () => {
  let pg: TestPostgres;
  let iam: TestKratos;

  beforeAll(async () => {
    pg = await startTestPostgres();
    iam = await startKratos(pg, "iam_limits", { configPath: IAM_CONFIG });
  });
  afterAll(async () => {
    await iam?.close();
    await pg?.stop();
  });

  /** The IAM password schedule for one identifier; returns what a client sees at each step. */
  async function passwordSchedule(identifier: string): Promise<FlowAnswer[]> {
    const ip = freshIp();
    const seen: FlowAnswer[] = [];
    const step = async (password: string) => {
      const answer = await passwordAttempt(iam, identifier, password, ip);
      seen.push(answer);
      return answer;
    };
    for (let i = 0; i < 3; i++) await step(WRONG); // 1..3 answered normally; the 3rd starts the back-off
    await step(WRONG); // refused: 2 s back-off
    await skipBlocks(pg, "iam_limits");
    await step(WRONG); // 4th attempt: 4 s back-off
    await skipBlocks(pg, "iam_limits");
    await step(WRONG); // 5th attempt: lockout
    await step(STRONG_PASSWORD); // refused — even the right password
    return seen;
  }

  it("backs off and locks out with one non-enumerating message, and the right password does not get through", async () => {
    const { email } = await createEmployee(iam);
    const known = await passwordSchedule(email);
    expect(known.map((a) => a.messages)).toEqual([[4000006], [4000006], [4000006], [RATE_LIMITED_MESSAGE_ID], [4000006], [4000006], [RATE_LIMITED_MESSAGE_ID]]);
    expect(known.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(known[3]?.retryAfter).toBe("2");
    expect(known[6]?.retryAfter).toBe("1800");
    const refusal = (known[6]?.body.ui as { messages: UiText[] }).messages[0];
    expect(refusal).toEqual({ id: RATE_LIMITED_MESSAGE_ID, text: RATE_LIMITED_TEXT, type: "error", context: { retry_after_seconds: 1800 } });
    // The identifier is echoed as on any failed sign-in.
    expect((known[6]?.body.ui as { nodes: { attributes: { name?: string; value?: unknown } }[] }).nodes.find((n) => n.attributes.name === "identifier")?.attributes.value).toBe(email);

    // An identifier nobody uses goes through exactly the same answers.
    const unknown = await passwordSchedule(uniqueEmail("nobody"));
    expect(unknown.map(summary)).toEqual(known.map(summary));

    // Once the lockout is over the right password works and clears the identifier's count.
    await skipBlocks(pg, "iam_limits");
    const ip = freshIp();
    expect((await passwordAttempt(iam, email, STRONG_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await passwordAttempt(iam, email, WRONG, ip)).messages).toEqual([4000006]);
  });

  it("counts the IP across identifiers, believes X-Forwarded-For only from a trusted proxy, and spares exempt callers", async () => {
    const tight = await startKratos(pg, "iam_limits_ip", {
      configPath: IAM_CONFIG,
      limitsOverrides: { client_ip: { exempt_from_ip_limits: ["192.0.2.0/24"] }, attempts: { password: { per_ip: { max: 3, window: "15m" } } } },
    });
    const untrusting = await startKratos(pg, "iam_limits_untrusted", {
      configPath: IAM_CONFIG,
      limitsOverrides: { client_ip: { trusted_proxies: [] }, attempts: { password: { per_ip: { max: 3, window: "15m" } } } },
    });
    try {
      const attacker = freshIp();
      for (let i = 0; i < 3; i++) expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG, attacker)).messages).toEqual([4000006]);
      const sprayed = await passwordAttempt(tight, uniqueEmail("spray"), WRONG, attacker);
      expect(sprayed.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
      expect(Number(sprayed.retryAfter)).toBeGreaterThan(890);
      // Another client is not affected, and a forged left-most address does not help the attacker.
      expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG, freshIp())).messages).toEqual([4000006]);
      expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG, `${freshIp()}, ${attacker}`)).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);

      // An exempt caller (an internal service such as Athena) is never stopped by the per-IP count …
      for (let i = 0; i < 5; i++) expect((await passwordAttempt(tight, uniqueEmail("internal"), WRONG, "192.0.2.10")).messages).toEqual([4000006]);
      // … but still by the per-identifier one.
      const target = uniqueEmail("internal-target");
      for (let i = 0; i < 3; i++) await passwordAttempt(tight, target, WRONG, "192.0.2.10");
      expect((await passwordAttempt(tight, target, WRONG, "192.0.2.10")).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);

      // Without trusted proxies the header is ignored: every "client" below is this test's socket.
      for (let i = 0; i < 3; i++) expect((await passwordAttempt(untrusting, uniqueEmail("spoof"), WRONG, freshIp())).messages).toEqual([4000006]);
      expect((await passwordAttempt(untrusting, uniqueEmail("spoof"), WRONG, freshIp())).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    } finally {
      await Promise.all([tight.close(), untrusting.close()]);
    }
  });

  it("limits TOTP guesses per identity", async () => {
    const { email } = await createEmployee(iam);
    const token = await apiPasswordLogin(iam, email);
    const { data: settings } = await iam.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const secret = shownSecret(settings);
    await iam.frontend.updateSettingsFlow({
      flow: settings.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: "totp", totp_code: authenticator.generate(secret) },
    });
    const aal1 = await apiPasswordLogin(iam, email);
    const headers = { "X-Session-Token": aal1, "X-Forwarded-For": freshIp() };
    const totp = async (code: string) => {
      const flow = await createApiFlow(iam, "login", headers, "?aal=aal2");
      return submit(iam, "login", flow, { method: "totp", totp_code: code }, headers);
    };
    const wrong = String((Number(authenticator.generate(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const seen: number[][] = [];
    for (let i = 0; i < 4; i++) seen.push(mfaMessages(await totp(wrong)));
    await skipBlocks(pg, "iam_limits");
    seen.push(mfaMessages(await totp(wrong)));
    await skipBlocks(pg, "iam_limits");
    seen.push(mfaMessages(await totp(wrong)));
    const right = await totp(authenticator.generate(secret));
    expect(seen).toEqual([[4000008], [4000008], [4000008], [RATE_LIMITED_MESSAGE_ID], [4000008], [4000008]]);
    expect(mfaMessages(right)).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect(right.retryAfter).toBe("1800");
    await skipBlocks(pg, "iam_limits");
    expect((await totp(authenticator.generate(secret))).status).toBe(200);
  });

  it("limits lookup-code guesses per identity", async () => {
    const { email } = await createEmployee(iam);
    const token = await apiPasswordLogin(iam, email);
    const update = (flow: string, body: Record<string, unknown>) =>
      iam.frontend.updateSettingsFlow({ flow, xSessionToken: token, updateSettingsFlowBody: { method: "lookup_secret", ...body } });
    const { data: settings } = await iam.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const { data: generated } = await update(settings.id, { lookup_secret_regenerate: true });
    const codes = (((nodeNamed(generated.ui.nodes, "lookup_secret_codes")?.attributes as { text?: UiText }).text?.context as { secrets: UiText[] }).secrets ?? []).map((s) => s.text);
    await update(settings.id, { lookup_secret_confirm: true });

    const aal1 = await apiPasswordLogin(iam, email);
    const headers = { "X-Session-Token": aal1, "X-Forwarded-For": freshIp() };
    const guess = async (code: string) => {
      const flow = await createApiFlow(iam, "login", headers, "?aal=aal2");
      return submit(iam, "login", flow, { method: "lookup_secret", lookup_secret: code }, headers);
    };
    const seen: number[][] = [];
    for (let i = 0; i < 5; i++) seen.push(mfaMessages(await guess(`zz${i}zzzzz`)));
    const right = await guess(codes[0] ?? "");
    expect(seen).toEqual([[4000016], [4000016], [4000016], [4000016], [4000016]]);
    expect(mfaMessages(right)).toEqual([RATE_LIMITED_MESSAGE_ID]);
    // The refused guess did not spend the code.
    await skipBlocks(pg, "iam_limits");
    expect((await guess(codes[0] ?? "")).status).toBe(200);
  });
});

describe("limits shared by processes and kept across restarts", () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("two servers on one database count together, parallel guesses included, and a restart keeps the lockout", async () => {
    const a = await startKratos(pg, "iam_shared", { configPath: IAM_CONFIG });
    const b = await startKratos(pg, "iam_shared", { configPath: IAM_CONFIG, existingDatabase: true });
    const { email } = await createEmployee(a);
    try {
      // Alternating servers: the schedule is the one of a single server.
      const ip = freshIp();
      const seen: number[][] = [];
      seen.push((await passwordAttempt(a, email, WRONG, ip)).messages);
      seen.push((await passwordAttempt(b, email, WRONG, ip)).messages);
      seen.push((await passwordAttempt(a, email, WRONG, ip)).messages);
      seen.push((await passwordAttempt(b, email, WRONG, ip)).messages);
      await skipBlocks(pg, "iam_shared");
      seen.push((await passwordAttempt(b, email, WRONG, ip)).messages);
      await skipBlocks(pg, "iam_shared");
      seen.push((await passwordAttempt(a, email, WRONG, ip)).messages);
      expect(seen).toEqual([[4000006], [4000006], [4000006], [RATE_LIMITED_MESSAGE_ID], [4000006], [4000006]]);
      expect((await passwordAttempt(b, email, STRONG_PASSWORD, ip)).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);

      // 20 guesses at once, split over both servers: exactly 3 are checked before the back-off closes the door.
      const target = uniqueEmail("burst");
      const servers = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b));
      const flows = await Promise.all(servers.map((server) => createApiFlow(server, "login")));
      const burst = await Promise.all(
        servers.map((server, i) => submit(server, "login", flows[i] ?? "", { method: "password", identifier: target, password: WRONG }, { "X-Forwarded-For": freshIp() })),
      );
      expect(burst.filter((r) => r.messages[0] === 4000006)).toHaveLength(3);
      expect(burst.filter((r) => r.messages[0] === RATE_LIMITED_MESSAGE_ID)).toHaveLength(17);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }

    // A restarted server (new process state, same database) still refuses the locked identifier.
    const c = await startKratos(pg, "iam_shared", { configPath: IAM_CONFIG, existingDatabase: true });
    try {
      const after = await passwordAttempt(c, email, STRONG_PASSWORD, freshIp());
      expect(after.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
      expect(Number(after.retryAfter)).toBeGreaterThan(1700);
      const { rows } = await pg.query("SELECT count(*)::int AS n FROM olympus_rate_limits WHERE blocked_until > now()", [], "iam_shared");
      expect(rows[0].n).toBeGreaterThanOrEqual(2);
    } finally {
      await c.close();
    }
  });
});

function shownSecret(flow: SettingsFlow): string {
  const text = (nodeNamed(flow.ui.nodes, "totp_secret_key")?.attributes as { text?: UiText } | undefined)?.text;
  return String((text?.context as { secret?: string } | undefined)?.secret ?? "");
}
