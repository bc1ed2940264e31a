import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createApiFlow,
  createPerson,
  freshIp,
  nodeValue,
  passwordAttempt,
  skipBlocks,
  STRONG_PASSWORD,
  submit,
  uniqueEmail,
  WRONG_PASSWORD,
  type FlowAnswer,
} from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";

/**
 * Brute force through Hera's edge against the embedded IAM Kratos (which has
 * no limits of its own, like the real one), with the IAM figures of
 * platform/dev/iam-hera/limits.yml: per identifier 5 attempts per 15 min,
 * back-off from the 3rd (2 s, doubling), then 30 min lockout. The test's
 * loopback stands in for Caddy (a trusted proxy), so each test can speak for
 * any client address.
 */
/** An answer without its wait amount, which counts down from the refused attempt (checked on its own below). */
const summary = (a: FlowAnswer) => ({
  status: a.status,
  waits: a.retryAfter !== null,
  messages: a.messages,
  texts: a.texts.map((text) => text.replace(/\d+ (second|minute|hour)s?/g, "<wait>")),
});
/** Flow messages without the "complete the second factor" prompt every aal2 login flow carries. */
const mfaMessages = (a: FlowAnswer) => a.messages.filter((id) => id !== 1010004);
const TRUST_LOOPBACK = { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } };

describe("brute-force limits at Hera's edge (IAM)", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;

  beforeAll(async () => {
    stack = await startEdgeStack("iam", { limits: TRUST_LOOPBACK });
    hera = stack.hera;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The IAM password schedule for one identifier; returns what a client sees at each step. */
  async function passwordSchedule(identifier: string): Promise<FlowAnswer[]> {
    const ip = freshIp();
    const seen: FlowAnswer[] = [];
    const step = async (password: string) => seen.push(await passwordAttempt(hera, identifier, password, ip));
    for (let i = 0; i < 3; i++) await step(WRONG_PASSWORD); // 1..3 answered by Kratos; the 3rd starts the back-off
    await step(WRONG_PASSWORD); // refused at the edge: 2 s back-off
    await skipBlocks(stack);
    await step(WRONG_PASSWORD); // 4th attempt: 4 s back-off
    await skipBlocks(stack);
    await step(WRONG_PASSWORD); // 5th attempt: lockout
    await step(STRONG_PASSWORD); // refused — even the right password
    return seen;
  }

  it("backs off and locks an identifier out with Kratos' flow, message 4000429 and Retry-After; the right password does not get through", async () => {
    const { email } = await createPerson(stack);
    const forwardedBefore = hera.forwarded.filter((p) => p === "/self-service/login").length;
    const known = await passwordSchedule(email);
    expect(known.map((a) => a.messages)).toEqual([
      [4000006],
      [4000006],
      [4000006],
      [RATE_LIMITED_MESSAGE_ID],
      [4000006],
      [4000006],
      [RATE_LIMITED_MESSAGE_ID],
    ]);
    expect(known.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    // The waits count down from the refused attempt: a slow machine can be a second into them.
    expect(Number(known[3]?.retryAfter)).toBeOneOf([1, 2]);
    const lockout = Number(known[6]?.retryAfter);
    expect(lockout).toBeOneOf([1799, 1800]);
    const refusal = (known[6]?.body.ui as { messages: unknown[] }).messages[0];
    expect(refusal).toEqual({
      id: RATE_LIMITED_MESSAGE_ID,
      text: "Too many attempts. Please wait 30 minutes before you try again.",
      type: "error",
      context: { retry_after_seconds: lockout },
    });
    // The refusal is the flow Kratos holds, re-rendered: the identifier shown again, the password never.
    const flow = known[6]?.body as { id: string; ui: { nodes: { attributes: { name?: string; value?: unknown } }[] } };
    expect(nodeValue(flow, "identifier")).toBe(email);
    expect(nodeValue(flow, "password")).toBeUndefined();
    // Refused attempts never reached Kratos: 5 of the 7 submissions did.
    expect(hera.forwarded.filter((p) => p === "/self-service/login").length - forwardedBefore).toBe(5);

    // An identifier nobody uses goes through exactly the same answers.
    const unknown = await passwordSchedule(uniqueEmail("nobody"));
    expect(unknown.map(summary)).toEqual(known.map(summary));
    unknown.forEach((answer, i) =>
      expect(Math.abs(Number(answer.retryAfter ?? 0) - Number(known[i]?.retryAfter ?? 0))).toBeLessThanOrEqual(1),
    );

    // Once the lockout is over the right password works and clears the identifier's count.
    await skipBlocks(stack);
    const ip = freshIp();
    expect((await passwordAttempt(hera, email, STRONG_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages).toEqual([4000006]);
  });

  it("prices a submission sent to a percent-encoded or unclean path as the route Kratos takes it to", async () => {
    const { email } = await createPerson(stack);
    const ip = freshIp();
    const headers = { "X-Forwarded-For": ip, "Content-Type": "application/json", Accept: "application/json" };
    const spellings = [
      "/self-service/%6Cogin",
      "/%73elf-service/login",
      "/self-service/./login",
      "/self-service//login",
      "/self-service/%6cogin",
    ];
    const seen: number[][] = [];
    for (const path of spellings) {
      const flow = await createApiFlow(hera, "login", { "X-Forwarded-For": ip });
      const response = await fetch(`${hera.kratos}${path}?flow=${flow}`, {
        method: "POST",
        headers,
        body: JSON.stringify({ method: "password", identifier: email, password: WRONG_PASSWORD }),
      });
      seen.push(((await response.json()) as { ui?: { messages?: { id: number }[] } }).ui?.messages?.map((m) => m.id) ?? []);
    }
    // The 4th guess meets the back-off, as through `/self-service/login` (Kratos routes every spelling there).
    expect(seen[3]).toEqual([RATE_LIMITED_MESSAGE_ID]);
  });

  it("charges a password guess without asking Kratos for its flow first; a guess at a flow Kratos cannot show costs nothing", async () => {
    const { email } = await createPerson(stack);
    const ip = freshIp();
    const headers = { "X-Forwarded-For": ip };
    const flowReads = () => hera.forwarded.filter((p) => p === "/self-service/login/flows").length;
    const before = flowReads();
    expect((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages).toEqual([4000006]);
    expect(flowReads()).toBe(before);
    // Twice the identifier's limit in guesses at a flow that does not exist: Kratos checks none of them, none stays counted.
    const missing = crypto.randomUUID();
    for (let i = 0; i < 10; i++) {
      const answer = await submit(hera, "login", missing, { method: "password", identifier: email, password: WRONG_PASSWORD }, headers);
      expect(answer.status).toBe(404);
    }
    expect((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages).toEqual([4000006]);
    expect((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages).toEqual([4000006]); // the 3rd: back-off starts
    // Refused with the flow re-rendered where there is one; with none, Kratos answers it (uncharged), as before.
    expect((await passwordAttempt(hera, email, STRONG_PASSWORD, ip)).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    const unknownFlow = await submit(hera, "login", missing, { method: "password", identifier: email, password: STRONG_PASSWORD }, headers);
    expect(unknownFlow.status).toBe(404);
    await skipBlocks(stack);
    expect((await passwordAttempt(hera, email, STRONG_PASSWORD, ip)).status).toBe(200);
  });

  it("writes one audit entry per lockout, naming the identifier but never a password", async () => {
    const target = uniqueEmail("audited");
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await passwordAttempt(hera, target, WRONG_PASSWORD, ip);
    await skipBlocks(stack);
    await passwordAttempt(hera, target, WRONG_PASSWORD, ip);
    await skipBlocks(stack);
    await passwordAttempt(hera, target, WRONG_PASSWORD, ip); // the 5th: locked out
    for (let i = 0; i < 3; i++)
      expect((await passwordAttempt(hera, target, WRONG_PASSWORD, ip)).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);

    const { rows } = await stack.db.superuser(
      "SELECT domain, actor_id, action, target, outcome, details FROM olympus_audit_log WHERE action = 'edge.lockout' AND target = $1",
      [target],
    );
    expect(rows).toEqual([
      {
        domain: "iam",
        actor_id: "hera-edge",
        action: "edge.lockout",
        target,
        outcome: "denied",
        details: { limit: "password", scope: "identifier", max: 5, locked_for_seconds: 1800, client_ip: ip },
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(WRONG_PASSWORD);
  });

  it("counts the IP across identifiers, believes X-Forwarded-For only from a trusted proxy, and spares exempt addresses", async () => {
    const tight = await stack.startEdge({
      limits: { client_ip: { exempt_from_ip_limits: ["192.0.2.0/24"] }, attempts: { password: { per_ip: { max: 3, window: "15m" } } } },
    });
    // No trusted proxies (the default): the header is never read.
    const untrusting = await stack.startEdge({
      limits: { client_ip: { trusted_proxies: [] }, attempts: { password: { per_ip: { max: 3, window: "15m" } } } },
    });
    const attacker = freshIp();
    for (let i = 0; i < 3; i++)
      expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG_PASSWORD, attacker)).messages).toEqual([4000006]);
    const sprayed = await passwordAttempt(tight, uniqueEmail("spray"), WRONG_PASSWORD, attacker);
    expect(sprayed.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect(Number(sprayed.retryAfter)).toBeGreaterThan(890);
    // Another client is not affected, and a forged left-most address does not help the attacker.
    expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG_PASSWORD, freshIp())).messages).toEqual([4000006]);
    expect((await passwordAttempt(tight, uniqueEmail("spray"), WRONG_PASSWORD, `${freshIp()}, ${attacker}`)).messages).toEqual([
      RATE_LIMITED_MESSAGE_ID,
    ]);

    // An exempt address is never stopped by the per-IP count …
    for (let i = 0; i < 5; i++)
      expect((await passwordAttempt(tight, uniqueEmail("internal"), WRONG_PASSWORD, "192.0.2.10")).messages).toEqual([4000006]);
    // … but still by the per-identifier one.
    const target = uniqueEmail("internal-target");
    for (let i = 0; i < 3; i++) await passwordAttempt(tight, target, WRONG_PASSWORD, "192.0.2.10");
    expect((await passwordAttempt(tight, target, WRONG_PASSWORD, "192.0.2.10")).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);

    // Without trusted proxies every "client" below is this test's own connection, whatever it claims.
    for (let i = 0; i < 3; i++)
      expect((await passwordAttempt(untrusting, uniqueEmail("spoof"), WRONG_PASSWORD, freshIp())).messages).toEqual([4000006]);
    expect((await passwordAttempt(untrusting, uniqueEmail("spoof"), WRONG_PASSWORD, freshIp())).messages).toEqual([
      RATE_LIMITED_MESSAGE_ID,
    ]);
    expect((await passwordAttempt(untrusting, uniqueEmail("spoof"), WRONG_PASSWORD)).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    await Promise.all([tight.close(), untrusting.close()]);
  });

  it("keeps counters in the database: a second Hera counts together with the first, and a restarted one still refuses", async () => {
    const { email } = await createPerson(stack);
    const other = await stack.startEdge();
    const ip = freshIp();
    const seen: number[][] = [];
    // Alternating instances: the schedule is the one of a single instance.
    seen.push((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages);
    seen.push((await passwordAttempt(other, email, WRONG_PASSWORD, ip)).messages);
    seen.push((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages);
    seen.push((await passwordAttempt(other, email, WRONG_PASSWORD, ip)).messages);
    await skipBlocks(stack);
    seen.push((await passwordAttempt(other, email, WRONG_PASSWORD, ip)).messages);
    await skipBlocks(stack);
    seen.push((await passwordAttempt(hera, email, WRONG_PASSWORD, ip)).messages);
    expect(seen).toEqual([[4000006], [4000006], [4000006], [RATE_LIMITED_MESSAGE_ID], [4000006], [4000006]]);

    // 12 guesses at once, split over both instances: exactly 3 reach Kratos before the back-off closes the door.
    const target = uniqueEmail("burst");
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => passwordAttempt(i % 2 === 0 ? hera : other, target, WRONG_PASSWORD, freshIp())),
    );
    expect(burst.filter((r) => r.messages[0] === 4000006)).toHaveLength(3);
    expect(burst.filter((r) => r.messages[0] === RATE_LIMITED_MESSAGE_ID)).toHaveLength(9);
    await other.close();

    // A new instance (nothing in memory, same database) still refuses the locked identifier.
    const restarted = await stack.startEdge();
    const after = await passwordAttempt(restarted, email, STRONG_PASSWORD, freshIp());
    expect(after.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect(Number(after.retryAfter)).toBeGreaterThan(1700);
    const { rows } = await stack.db.superuser(
      "SELECT count(*)::int AS n FROM olympus_edge_counters WHERE domain = 'iam' AND blocked_until > now()",
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
    await restarted.close();
  });

  it("limits TOTP guesses per person, across every session an attacker who knows the password opens", async () => {
    const { email } = await createPerson(stack);
    const token = await apiLogin(hera, email);
    const secret = await enrolTotp(hera, token);
    const wrong = String((Number(generateSync({ secret })) + 500_000) % 1_000_000).padStart(6, "0");
    const totp = async (session: string, code: string) => {
      const headers = { "X-Session-Token": session, "X-Forwarded-For": freshIp() };
      const flow = await createApiFlow(hera, "login", headers, "?aal=aal2");
      return submit(hera, "login", flow, { method: "totp", totp_code: code }, headers);
    };
    const seen: number[][] = [];
    // A fresh aal1 session (a new password sign-in) for every guess.
    for (let i = 0; i < 4; i++) seen.push(mfaMessages(await totp(await apiLogin(hera, email), wrong)));
    await skipBlocks(stack);
    seen.push(mfaMessages(await totp(await apiLogin(hera, email), wrong)));
    await skipBlocks(stack);
    seen.push(mfaMessages(await totp(await apiLogin(hera, email), wrong)));
    const right = await totp(await apiLogin(hera, email), generateSync({ secret }));
    expect(seen).toEqual([[4000008], [4000008], [4000008], [RATE_LIMITED_MESSAGE_ID], [4000008], [4000008]]);
    expect(mfaMessages(right)).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect(Number(right.retryAfter)).toBeOneOf([1799, 1800]); // counts down from the sixth guess
    await skipBlocks(stack);
    expect((await totp(await apiLogin(hera, email), generateSync({ secret }))).status).toBe(200);
  });
});

/** API-mode password sign-in through the edge; the session token. */
async function apiLogin(hera: EdgeServer, email: string): Promise<string> {
  const headers = { "X-Forwarded-For": freshIp() };
  const flow = await createApiFlow(hera, "login", headers);
  const answer = await submit(hera, "login", flow, { method: "password", identifier: email, password: STRONG_PASSWORD }, headers);
  const token = (answer.body as { session_token?: string }).session_token;
  if (!token) throw new Error(`no session token: ${answer.status} ${JSON.stringify(answer.body)}`);
  return token;
}

/** Sets up TOTP in a native settings flow; returns the secret. */
async function enrolTotp(hera: EdgeServer, token: string): Promise<string> {
  const headers = { "X-Session-Token": token };
  const settings = (await (await fetch(`${hera.kratos}/self-service/settings/api`, { headers })).json()) as {
    id: string;
    ui: { nodes: { attributes: { id?: string; name?: string; text?: { context?: { secret?: string } } } }[] };
  };
  const secret = settings.ui.nodes.find((n) => n.attributes.id === "totp_secret_key")?.attributes.text?.context?.secret ?? "";
  const done = await submit(hera, "settings", settings.id, { method: "totp", totp_code: generateSync({ secret }) }, headers);
  if (done.status !== 200) throw new Error(`TOTP enrolment failed: ${done.status} ${JSON.stringify(done.body)}`);
  return secret;
}
