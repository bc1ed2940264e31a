import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, createApiFlow, freshIp, STRONG_PASSWORD, submit, uniqueEmail, type FlowAnswer } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";

/**
 * Mail, registration and code-guessing limits through Hera's edge against the
 * embedded CIAM Kratos, with the figures of platform/dev/ciam-hera/limits.yml:
 * 5 mails per address per hour, whatever the flow and whether or not an
 * account uses the address; 10 code guesses per address per 15 minutes.
 */
// The wait a refusal names counts down from each address' first mail, so two schedules' refusals can differ by a
// second of it (its bounds are checked on Retry-After): compared without the amount.
const withoutWait = (text: string) => text.replace(/Please wait .+ before/, "Please wait … before");
const shape = (a: FlowAnswer) => ({ status: a.status, messages: a.messages, texts: a.texts.map(withoutWait), nodes: nodeNames(a) });
const nodeNames = (a: FlowAnswer) =>
  ((a.body.ui as { nodes?: { attributes: { name?: string } }[] } | undefined)?.nodes ?? []).map((n) => n.attributes.name);
const TRUST_LOOPBACK = { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } };

describe("mail, registration and code-guessing limits at Hera's edge (CIAM)", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;
  let tight: EdgeServer;
  let guessTight: EdgeServer;

  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { limits: TRUST_LOOPBACK });
    hera = stack.hera;
    // Per-IP numbers small enough to reach in a test.
    tight = await stack.startEdge({
      limits: { sends: { per_ip: { max: 3, window: "1h" } }, registrations: { per_ip: { max: 2, window: "1h" } } },
    });
    // Two code guesses per address, so a third shows whether a submission was counted as one.
    guessTight = await stack.startEdge({ limits: { attempts: { code: { per_identifier: { max: 2, window: "15m" } } } } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const request = async (edge: EdgeServer, kind: "recovery" | "verification" | "login", address: string, ip = freshIp()) => {
    const headers = { "X-Forwarded-For": ip };
    const flow = await createApiFlow(edge, kind, headers);
    return submit(
      edge,
      kind,
      flow,
      kind === "login" ? { method: "code", identifier: address } : { method: "code", email: address },
      headers,
    );
  };

  const mailsQueuedFor = async (address: string) =>
    Number(
      (await stack.db.server.query("SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1", [address], "ciam_kratos"))
        .rows[0].n,
    );

  const createCustomer = async (email: string, password?: string) => {
    const response = await stack.admin("POST", "/admin/identities", {
      schema_id: "default",
      traits: { email },
      ...(password ? { credentials: { password: { config: { password } } } } : {}),
    });
    expect(response.status).toBe(201);
  };

  /** Five mails in three kinds of flow, then a sixth: the schedule of one address. */
  async function sendSchedule(address: string): Promise<FlowAnswer[]> {
    const answers: FlowAnswer[] = [];
    for (let i = 0; i < 3; i++) answers.push(await request(hera, "recovery", address));
    answers.push(await request(hera, "verification", address));
    answers.push(await request(hera, "login", address));
    answers.push(await request(hera, "recovery", address));
    return answers;
  }

  it("allows 5 mails per address per hour across recovery, verification and login codes, and refuses the sixth alike for unknown addresses", async () => {
    const known = uniqueEmail("mailbox");
    const unknown = uniqueEmail("nobody");
    await createCustomer(known);
    const forKnown = await sendSchedule(known);
    const forUnknown = await sendSchedule(unknown);

    expect(forKnown.map((a) => a.messages)).toEqual([[1060003], [1060003], [1060003], [1080003], [1010014], [RATE_LIMITED_MESSAGE_ID]]);
    expect(forKnown.map((a) => a.status)).toEqual([200, 200, 200, 200, 400, 400]);
    // Identical but for the login code: Kratos' code login says no account uses the address (4000035, as
    // Kratos' strategy/code/strategy_login.go findIdentityByIdentifier does). The edge still counts that
    // request against the address, so the limit refuses the sixth request for both alike.
    const loginStep = 4;
    expect(forUnknown[loginStep]?.messages).toEqual([4000035]);
    expect(forUnknown.filter((_, i) => i !== loginStep).map(shape)).toEqual(forKnown.filter((_, i) => i !== loginStep).map(shape));
    for (const refused of [forKnown[5], forUnknown[5]]) expect(Number(refused?.retryAfter)).toBeGreaterThan(3500);

    // Five mails went to the account's address — the refused sixth never reached Kratos — none to the unknown one.
    expect(await mailsQueuedFor(known)).toBe(5);
    expect(await mailsQueuedFor(unknown)).toBe(0);
  });

  it("limits code guesses per address across flows, and answers recovery guesses identically for unknown addresses", async () => {
    /** Two flows of guesses: six in the first (one past Kratos' own per-flow limit of 5), `secondRound` in the second. */
    async function guesses(kind: "login" | "recovery", address: string, secondRound = 5): Promise<FlowAnswer[]> {
      const answers: FlowAnswer[] = [];
      const headers = { "X-Forwarded-For": freshIp() };
      // Two flows of 5 guesses each (Kratos' own per-flow limit), then the edge's per-address limit (10) stops the 11th.
      for (let round = 0; round < 2; round++) {
        const flow = await createApiFlow(hera, kind, headers);
        answers.push(
          await submit(
            hera,
            kind,
            flow,
            kind === "login" ? { method: "code", identifier: address } : { method: "code", email: address },
            headers,
          ),
        );
        const guessCount = round === 0 ? 6 : secondRound;
        // A code login guess names its identifier, as the form's hidden input does (Kratos' loginVerifyCode requires it).
        const guess = kind === "login" ? { method: "code", code: "000000", identifier: address } : { method: "code", code: "000000" };
        for (let i = 0; i < guessCount; i++) answers.push(await submit(hera, kind, flow, guess, headers));
      }
      return answers;
    }

    const known = uniqueEmail("guessed");
    await createCustomer(known);
    const login = await guesses("login", known);
    expect(login.map((a) => a.messages)).toEqual([
      [1010014],
      ...Array.from({ length: 5 }, () => [4010008]),
      [4000001], // this flow's own 5 submissions are used up
      [1010014],
      ...Array.from({ length: 4 }, () => [4010008]),
      [RATE_LIMITED_MESSAGE_ID], // the address' 10 guesses (6 + 4) are used up
    ]);
    // Unlike recovery, Kratos' code login says when no account uses the address (4000035, as Kratos'
    // strategy/code/strategy_login.go findIdentityByIdentifier does): no code exists, so every guess fails.
    const ghost = await guesses("login", uniqueEmail("ghost"));
    expect(ghost[0]?.messages).toEqual([4000035]);
    expect(ghost.every((answer) => answer.status === 400)).toBe(true);

    // Code guesses share one count per address across flows: recovery needs fresh addresses.
    const knownToo = uniqueEmail("guessed");
    await createCustomer(knownToo);
    // Kratos' code recovery answers the 6th submission by starting over (code strategy retryRecoveryFlow: a fresh
    // flow carrying 4000001, the code not checked), so that one is not charged, and must never count as a success
    // (which would clear the address' count): the address' 10th checked guess is the last one let through.
    const recovery = await guesses("recovery", knownToo, 6);
    expect(recovery.map((a) => a.messages)).toEqual([
      [1060003],
      ...Array.from({ length: 5 }, () => [4060006]),
      [4000001],
      [1060003],
      ...Array.from({ length: 5 }, () => [4060006]),
      [RATE_LIMITED_MESSAGE_ID],
    ]);
    expect((await guesses("recovery", uniqueEmail("ghost"), 6)).map(shape)).toEqual(recovery.map(shape));
  });

  it("counts the verification mail Kratos sends after a sign-up against the address, like a requested one", async () => {
    const email = uniqueEmail("signup");
    const headers = { "X-Forwarded-For": freshIp() };
    const flow = await createApiFlow(hera, "registration", headers);
    expect(
      (await submit(hera, "registration", flow, { method: "password", password: STRONG_PASSWORD, traits: { email } }, headers)).status,
    ).toBe(200);
    // One mail went out by itself; four more may be asked for within the hour, the fifth request is refused.
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await request(hera, "verification", email)).messages);
    expect(answers).toEqual([[1080003], [1080003], [1080003], [1080003], [RATE_LIMITED_MESSAGE_ID]]);
  });

  it("limits mails per client IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await request(tight, "recovery", uniqueEmail("ipmail"), ip)).messages).toEqual([1060003]);
    const refused = await request(tight, "recovery", uniqueEmail("ipmail"), ip);
    expect(refused.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect(refused.status).toBe(400);
    expect((await request(tight, "recovery", uniqueEmail("ipmail"), freshIp())).messages).toEqual([1060003]);
  });

  it("counts every registration submission per client IP — failed, duplicate or successful — so taken addresses cannot be probed past the limit", async () => {
    const taken = uniqueEmail("taken");
    await createCustomer(taken, STRONG_PASSWORD);
    const register = async (ip: string, email: string, password = STRONG_PASSWORD) => {
      const headers = { "X-Forwarded-For": ip };
      const flow = await createApiFlow(tight, "registration", headers);
      return submit(tight, "registration", flow, { method: "password", password, traits: { email } }, headers);
    };

    const prober = freshIp();
    const duplicate = await register(prober, taken);
    expect(duplicate.status).toBe(400);
    expect(duplicate.messages).toEqual([4000007]);
    expect((await register(prober, uniqueEmail("short"), "short")).status).toBe(400);
    // Both count: the limit (2) is used up, and a taken and a free address now get the same refusal.
    const free = uniqueEmail("free");
    const [takenRefused, freeRefused] = [await register(prober, taken), await register(prober, free)];
    for (const refused of [takenRefused, freeRefused]) {
      expect(refused.status).toBe(400);
      expect(refused.messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
      expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
    }
    expect(shape(takenRefused)).toEqual(shape(freeRefused));
    expect(await (await stack.admin("GET", `/admin/identities?credentials_identifier=${encodeURIComponent(free)}`)).json()).toEqual([]);

    // Successful submissions count the same; another address is not affected.
    const user = freshIp();
    expect((await register(user, uniqueEmail("first"))).status).toBe(200);
    expect((await register(user, uniqueEmail("second"))).status).toBe(200);
    expect((await register(user, uniqueEmail("third"))).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect((await register(freshIp(), free)).status).toBe(200);
  });
  // Each of these reaches the limit with ordinary submissions first, so the refusal is the edge's whatever Kratos
  // would have answered the last one.
  it("counts a verification mail asked for by GET, as Kratos' verification strategies read the query and send", async () => {
    // verification/handler.go routes GET /self-service/verification to updateVerificationFlow; code/
    // strategy_verification.go decodes it with HTTPDecoderAllowedMethods("POST", "GET") and sends to `email`.
    const address = uniqueEmail("getmail");
    for (let i = 0; i < 5; i++) expect((await request(hera, "verification", address)).messages).toEqual([1080003]);
    const headers = { "X-Forwarded-For": freshIp(), Accept: "application/json" };
    const flow = await createApiFlow(hera, "verification", headers);
    const query = new URLSearchParams({ flow, method: "code", email: address });
    const refused = await answerOf(await fetch(`${hera.kratos}/self-service/verification?${query}`, { headers }));
    expect([refused.status, ...refused.messages]).toEqual([400, RATE_LIMITED_MESSAGE_ID]);
  });

  it("counts a recovery or verification code sent without method=code as a guess, as Kratos' code strategies check it", async () => {
    // code/strategy_recovery.go Recover checks the code of any submission past the first screen without an email;
    // code/strategy_verification.go getMethod picks the code strategy for a bare code.
    for (const kind of ["recovery", "verification"] as const) {
      const headers = { "X-Forwarded-For": freshIp() };
      const flow = await createApiFlow(guessTight, kind, headers);
      await submit(guessTight, kind, flow, { method: "code", email: uniqueEmail(`bare-${kind}`) }, headers);
      for (let i = 0; i < 2; i++) await submit(guessTight, kind, flow, { method: "code", code: "000000" }, headers);
      const bare = await submit(guessTight, kind, flow, { code: "000000" }, headers);
      expect([bare.status, ...bare.messages], kind).toEqual([400, RATE_LIMITED_MESSAGE_ID]);
    }
  });

  it("counts a login code asked for by `address` without method=code (the second-factor code login's field) against that address", async () => {
    // code/strategy_login.go Login: with second-factor codes on, an address selects the strategy and is sent a code.
    const address = uniqueEmail("address");
    for (let i = 0; i < 5; i++) await request(hera, "login", address);
    const headers = { "X-Forwarded-For": freshIp() };
    const flow = await createApiFlow(hera, "login", headers);
    const refused = await submit(hera, "login", flow, { address }, headers);
    expect([refused.status, ...refused.messages]).toEqual([400, RATE_LIMITED_MESSAGE_ID]);
  });
});
