import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestSmtpServer } from "../courier/test-smtp";
import { startKratos, startTestPostgres, STRONG_PASSWORD, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { RATE_LIMITED_MESSAGE_ID } from "./messages";
import { createApiFlow, freshIp, submit, type FlowAnswer } from "./testing";

/**
 * Mail and registration limits, and enumeration safety, against the CIAM
 * config (platform/dev/ciam-kratos/olympus-limits.yml): 5 mails per address
 * per hour, whatever the flow and whether or not an account uses the address.
 */
const shape = (a: FlowAnswer) => ({ status: a.status, messages: a.messages, texts: a.texts, nodes: nodeNames(a) });
const nodeNames = (a: FlowAnswer) => ((a.body.ui as { nodes?: { attributes: { name?: string } }[] } | undefined)?.nodes ?? []).map((n) => n.attributes.name);

describe("mail, registration and guessing limits (CIAM)", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let ciam: TestKratos;
  let tight: TestKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    const courier = { courier: { smtp: { connection_uri: smtp.connectionUri }, worker: { pull_wait: "100ms" } } };
    ciam = await startKratos(pg, "ciam_sends", { configOverrides: courier });
    // Per-IP numbers small enough to reach in a test.
    tight = await startKratos(pg, "ciam_sends_ip", {
      configOverrides: courier,
      limitsOverrides: { sends: { per_ip: { max: 3, window: "1h" } }, registrations: { per_ip: { max: 2, window: "1h" } } },
    });
  });
  afterAll(async () => {
    await Promise.all([ciam?.close(), tight?.close()]);
    await smtp?.stop();
    await pg?.stop();
  });

  const request = async (kratos: TestKratos, kind: "recovery" | "verification" | "login", address: string, ip = freshIp()) => {
    const headers = { "X-Forwarded-For": ip };
    const flow = await createApiFlow(kratos, kind, headers);
    return submit(kratos, kind, flow, kind === "login" ? { method: "code", identifier: address } : { method: "code", email: address }, headers);
  };

  const mailsQueuedFor = async (database: string, address: string) =>
    Number((await pg.query("SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1", [address], database)).rows[0].n);

  /** Five mails in four kinds of flow, then a sixth: the schedule of one address. */
  async function sendSchedule(address: string): Promise<FlowAnswer[]> {
    const answers: FlowAnswer[] = [];
    for (let i = 0; i < 3; i++) answers.push(await request(ciam, "recovery", address));
    answers.push(await request(ciam, "verification", address));
    answers.push(await request(ciam, "login", address));
    answers.push(await request(ciam, "recovery", address));
    return answers;
  }

  it("allows 5 mails per address per hour across recovery, verification and login codes, identically for unknown addresses", async () => {
    const known = uniqueEmail("mailbox");
    const unknown = uniqueEmail("nobody");
    await ciam.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: known } } });
    const forKnown = await sendSchedule(known);
    const forUnknown = await sendSchedule(unknown);

    expect(forKnown.map((a) => a.messages)).toEqual([[1060003], [1060003], [1060003], [1080003], [1010014], [RATE_LIMITED_MESSAGE_ID]]);
    expect(forKnown.map((a) => a.status)).toEqual([200, 200, 200, 200, 400, 400]);
    expect(forUnknown.map(shape)).toEqual(forKnown.map(shape));
    for (const refused of [forKnown[5], forUnknown[5]]) expect(Number(refused?.retryAfter)).toBeGreaterThan(3500);

    // Five mails went to the account's address, none to the unknown one (notify_unknown_recipients is off).
    expect(await mailsQueuedFor("ciam_sends", known)).toBe(5);
    expect(await mailsQueuedFor("ciam_sends", unknown)).toBe(0);
  });

  it("answers code guesses in login and recovery identically for unknown identifiers, and limits them per identifier", async () => {
    const known = uniqueEmail("guessed");
    const unknown = uniqueEmail("ghost");
    await ciam.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: known } } });

    async function guesses(kind: "login" | "recovery", address: string): Promise<FlowAnswer[]> {
      const answers: FlowAnswer[] = [];
      const ip = freshIp();
      const headers = { "X-Forwarded-For": ip };
      // Two flows of 5 guesses each (the per-flow limit), then the per-identifier limit (10) stops the 11th.
      for (let round = 0; round < 2; round++) {
        const flow = await createApiFlow(ciam, kind, headers);
        answers.push(await submit(ciam, kind, flow, kind === "login" ? { method: "code", identifier: address } : { method: "code", email: address }, headers));
        const guessCount = round === 0 ? 6 : 5;
        for (let i = 0; i < guessCount; i++) answers.push(await submit(ciam, kind, flow, { method: "code", code: "000000" }, headers));
      }
      return answers;
    }

    const login = await guesses("login", known);
    expect(login.map((a) => a.messages)).toEqual([
      [1010014],
      ...Array.from({ length: 5 }, () => [4010008]),
      [4000001], // this flow's own 5 submissions are used up
      [1010014],
      ...Array.from({ length: 4 }, () => [4010008]),
      [RATE_LIMITED_MESSAGE_ID], // the identifier's 10 guesses (6 + 4) are used up
    ]);
    expect((await guesses("login", unknown)).map(shape)).toEqual(login.map(shape));

    // Code guesses share one counter per identifier across flows: recovery needs fresh addresses.
    const knownToo = uniqueEmail("guessed");
    await ciam.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: knownToo } } });
    const recovery = await guesses("recovery", knownToo);
    expect(recovery.map((a) => a.messages)).toEqual([
      [1060003],
      ...Array.from({ length: 5 }, () => [4060006]),
      [4000001],
      [1060003],
      ...Array.from({ length: 4 }, () => [4060006]),
      [RATE_LIMITED_MESSAGE_ID],
    ]);
    expect((await guesses("recovery", uniqueEmail("ghost"))).map(shape)).toEqual(recovery.map(shape));
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
    await tight.identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email: taken }, credentials: { password: { config: { password: STRONG_PASSWORD } } } } });
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
    expect((await tight.identity.listIdentities({ credentialsIdentifier: free })).data).toEqual([]);

    // Successful submissions count the same; another address is not affected.
    const user = freshIp();
    expect((await register(user, uniqueEmail("first"))).status).toBe(200);
    expect((await register(user, uniqueEmail("second"))).status).toBe(200);
    expect((await register(user, uniqueEmail("third"))).messages).toEqual([RATE_LIMITED_MESSAGE_ID]);
    expect((await register(freshIp(), free)).status).toBe(200);
  });
});
