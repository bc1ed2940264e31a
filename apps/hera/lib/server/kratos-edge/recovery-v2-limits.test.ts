import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFlow, freshIp, submit, uniqueEmail, type FlowAnswer } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeStack } from "@/lib/testing/edge-stack";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";

/**
 * The mail and code-guessing limits of sends.test.ts with recovery v2 on
 * (`feature_flags.choose_recovery_address`; Kratos' selfservice/strategy/code/
 * strategy_recovery.go recoveryV2* handlers), against the embedded CIAM Kratos
 * with platform/dev/ciam-hera/limits.yml: 5 mails per address per hour, 10 code
 * guesses per address per 15 minutes, known and unknown addresses alike.
 */
const TRUST_LOOPBACK = { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } };
const withoutWait = (text: string) => text.replace(/Please wait .+ before/, "Please wait … before");
const shape = (a: FlowAnswer) => ({ status: a.status, messages: a.messages, texts: a.texts.map(withoutWait) });

describe("recovery v2 at Hera's edge (CIAM)", () => {
  let stack: EdgeStack;

  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { limits: TRUST_LOOPBACK }, { recoveryV2: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const mailsQueuedFor = async (address: string) =>
    Number(
      (await stack.db.server.query("SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1", [address], "ciam_kratos"))
        .rows[0].n,
    );

  const createCustomer = async (email: string) => {
    const response = await stack.admin("POST", "/admin/identities", { schema_id: "default", traits: { email } });
    expect(response.status).toBe(201);
  };

  /** A new v2 flow with the address typed on its first screen (a lone address is sent to at once). */
  const typeAddress = async (address: string, headers: Record<string, string>) => {
    const flow = await createApiFlow(stack.hera, "recovery", headers);
    return { flow, answer: await submit(stack.hera, "recovery", flow, { method: "code", recovery_address: address }, headers) };
  };

  it("allows 5 mails per address per hour across first screens and resends, and refuses the sixth alike for unknown addresses", async () => {
    async function schedule(address: string): Promise<FlowAnswer[]> {
      const headers = { "X-Forwarded-For": freshIp() };
      const answers: FlowAnswer[] = [];
      for (let i = 0; i < 3; i++) answers.push((await typeAddress(address, headers)).answer);
      const { flow, answer } = await typeAddress(address, headers);
      answers.push(answer);
      // The code screen's resend button: the address again, no code.
      for (let i = 0; i < 2; i++)
        answers.push(await submit(stack.hera, "recovery", flow, { method: "code", recovery_confirm_address: address }, headers));
      return answers;
    }
    const known = uniqueEmail("v2mailbox");
    const unknown = uniqueEmail("v2nobody");
    await createCustomer(known);
    const forKnown = await schedule(known);
    // 1060004: the code screen ("sent to" the masked address); the sixth is the edge's refusal.
    expect(forKnown.map((a) => [a.status, ...a.messages])).toEqual([
      ...Array.from({ length: 5 }, () => [200, 1060004]),
      [400, RATE_LIMITED_MESSAGE_ID],
    ]);
    expect(await mailsQueuedFor(known)).toBe(5);
    expect((await schedule(unknown)).map(shape)).toEqual(forKnown.map(shape));
  });

  it("limits code guesses per address across v2 flows, identically for unknown addresses", async () => {
    async function guesses(address: string): Promise<FlowAnswer[]> {
      const headers = { "X-Forwarded-For": freshIp() };
      const answers: FlowAnswer[] = [];
      // Two flows of 5 guesses (Kratos' own per-flow limit), then the address' 11th guess in a third flow.
      for (const count of [5, 5, 1]) {
        const { flow, answer } = await typeAddress(address, headers);
        answers.push(answer);
        for (let i = 0; i < count; i++)
          answers.push(await submit(stack.hera, "recovery", flow, { method: "code", code: "000000" }, headers));
      }
      return answers;
    }
    const known = uniqueEmail("v2guessed");
    await createCustomer(known);
    const forKnown = await guesses(known);
    const flowOfFive = [[1060004], ...Array.from({ length: 5 }, () => [4060006])];
    expect(forKnown.map((a) => a.messages)).toEqual([...flowOfFive, ...flowOfFive, [1060004], [RATE_LIMITED_MESSAGE_ID]]);
    expect((await guesses(uniqueEmail("v2ghost"))).map(shape)).toEqual(forKnown.map(shape));
  });
});
