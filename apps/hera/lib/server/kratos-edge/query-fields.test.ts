import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, createApiFlow, createPerson, freshIp, STRONG_PASSWORD, uniqueEmail } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeStack } from "@/lib/testing/edge-stack";
import { bodyNamesAnotherFlow, withQueryFields } from "./query-fields";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";
import { submittedFields } from "./request-body";
import { chargesFor, type KratosFlow } from "./submission";

/**
 * Kratos' code and link strategies decode recovery and verification POSTs
 * with ory/x decoderx HTTPDecoderUseQueryAndBody (decodeRecovery,
 * decodeVerification): a `method`, `code` or `email` in the query string is
 * one Kratos acts on, so the edge charges it.
 */
describe("withQueryFields: a POST's fields as decoderx merges query and body", () => {
  const query = new URLSearchParams("flow=f&method=code&email=query%40example.com&code=");
  const body = () =>
    new Map([
      ["email", ["body@example.com"]],
      ["code", ["123456"]],
    ]);

  it("lets the query win over a JSON body, an empty value dropping the field (decodeJSONForm)", () => {
    expect(withQueryFields("verification", "application/json", body(), query)).toEqual(
      new Map([
        ["email", ["query@example.com"]],
        ["method", ["code"]],
      ]),
    );
  });

  it("lets a urlencoded body win, the query filling in (decodeForm's r.Form.Get)", () => {
    expect(withQueryFields("recovery", "application/x-www-form-urlencoded", body(), query)).toEqual(
      new Map([
        ["email", ["body@example.com"]],
        ["code", ["123456"]],
        ["method", ["code"]],
      ]),
    );
  });

  it("leaves login and registration to the body (their strategies decode it alone)", () => {
    for (const kind of ["login", "registration"] as const) expect(withQueryFields(kind, "application/json", body(), query)).toEqual(body());
  });

  it("charges a mail for a verification whose method is only in the query", () => {
    const fields = withQueryFields(
      "verification",
      "application/json",
      new Map([["email", ["a@example.com"]]]),
      new URLSearchParams("method=code"),
    );
    expect(chargesFor("verification", "POST", fields, undefined, "f")).toEqual([{ type: "mail", addresses: ["a@example.com"] }]);
  });
});

describe("a link token in the query string (F3)", () => {
  const FLOW_ID = "5f1c1d4e-8a0b-4c55-9d7e-2f3a4b5c6d7e";
  const byLink: KratosFlow = { id: FLOW_ID, type: "browser", state: "sent_email", active: "link", ui: { nodes: [] } };

  it("charges `?token=` on a urlencoded recovery or verification POST as a guess (link Recover / Verify: len(body.Token) > 0)", () => {
    for (const kind of ["recovery", "verification"] as const) {
      const fields = withQueryFields(
        kind,
        "application/x-www-form-urlencoded",
        new Map([
          ["csrf_token", ["T"]],
          ["method", ["link"]],
        ]),
        new URLSearchParams(`flow=${FLOW_ID}&token=guess`),
      );
      expect(fields.get("token")).toEqual(["guess"]);
      expect(chargesFor(kind, "POST", fields, byLink, FLOW_ID)).toEqual([
        { type: "attempt", attempt: "code", identifiers: [`flow:${FLOW_ID}`] },
      ]);
    }
  });
});

describe("bodyNamesAnotherFlow: the body's flow against the query's", () => {
  const FLOW_ID = "5f1c1d4e-8a0b-4c55-9d7e-2f3a4b5c6d7e";
  it("passes the query's flow in any spelling Kratos resolves to it, and nothing else", () => {
    expect(bodyNamesAnotherFlow(new Map(), FLOW_ID)).toBe(false);
    expect(bodyNamesAnotherFlow(new Map([["flow", [FLOW_ID.toUpperCase()]]]), FLOW_ID)).toBe(false);
    expect(bodyNamesAnotherFlow(new Map([["flow", ["0b6a3a59-2f54-4d5e-9b56-8d1c0e6e2a11"]]]), FLOW_ID)).toBe(true);
    expect(bodyNamesAnotherFlow(new Map([["flow", [""]]]), FLOW_ID)).toBe(true);
    expect(bodyNamesAnotherFlow(new Map([["flow", [FLOW_ID, "junk"]]]), FLOW_ID)).toBe(true);
  });
});

describe("submittedFields: a JSON number's digits", () => {
  it("keys an integer past 2^53 by its text, as gjson's Result.String gives it to decodeJSONForm", () => {
    const fields = submittedFields("application/json", new TextEncoder().encode('{"identifier":12345678901234567890,"n":1.5,"m":-7}'));
    expect(fields).toEqual(
      new Map([
        ["identifier", ["12345678901234567890"]],
        ["n", ["1.5"]],
        ["m", ["-7"]],
      ]),
    );
  });
});

describe("method in the query string, through the edge (CIAM)", () => {
  let stack: EdgeStack;
  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { limits: { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const mailsQueuedFor = async (address: string) =>
    Number(
      (await stack.db.server.query("SELECT count(*)::int AS n FROM courier_messages WHERE recipient = $1", [address], "ciam_kratos"))
        .rows[0].n,
    );
  const post = (path: string, body: Record<string, unknown>, headers: Record<string, string>) =>
    fetch(`${stack.hera.kratos}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });

  for (const kind of ["recovery", "verification"] as const) {
    it(`${kind}: a code mail with ?method=code counts against the address' 5 mails`, async () => {
      const address = uniqueEmail(`query-${kind}`);
      expect((await stack.admin("POST", "/admin/identities", { schema_id: "default", traits: { email: address } })).status).toBe(201);
      const refused: boolean[] = [];
      for (let i = 0; i < 7; i++) {
        const headers = { "X-Forwarded-For": freshIp() };
        const flow = await createApiFlow(stack.hera, kind, headers);
        const answer = await answerOf(await post(`/self-service/${kind}?flow=${flow}&method=code`, { email: address }, headers));
        refused.push(answer.messages.includes(RATE_LIMITED_MESSAGE_ID));
      }
      expect(refused).toEqual([false, false, false, false, false, true, true]);
      expect(await mailsQueuedFor(address)).toBe(5);
    });
  }

  it("verification: the address Kratos reads from a query with dropped pairs, for any spelling of the flow, counts against the address' 5 mails", async () => {
    const address = uniqueEmail("spelled");
    expect((await stack.admin("POST", "/admin/identities", { schema_id: "default", traits: { email: address } })).status).toBe(201);
    // Kratos runs the flow after the `;` pair it drops, and mails the address after the ones it drops.
    // Kratos mails the address after the pairs ParseQuery drops, for the flow every spelling names.
    const to = encodeURIComponent(address);
    const spellings = [
      (flow: string) => `flow=${flow}&method=code&email=decoy;&email=${to}`,
      (flow: string) => `flow=${flow.toUpperCase()}&method=code&email=${to}`,
      (flow: string) => `flow=${flow.toUpperCase()}&method=code&email=%zz&email=${to}`,
      (flow: string) => `flow=${flow}&method=code&email=a;b&email=${to}`,
      (flow: string) => `flow=${flow.toUpperCase()}&method=code&email=${to}`,
      (flow: string) => `flow=${flow}&method=code&email=decoy;&email=${to}`,
      (flow: string) => `flow=${flow.toUpperCase()}&method=code&email=${to}`,
    ];
    const refused: boolean[] = [];
    for (const spelling of spellings) {
      const headers = { "X-Forwarded-For": freshIp() };
      const flow = await createApiFlow(stack.hera, "verification", headers);
      const answer = await answerOf(await post(`/self-service/verification?${spelling(flow)}`, {}, headers));
      refused.push(answer.messages.includes(RATE_LIMITED_MESSAGE_ID));
    }
    // Each submission is charged to the address (and to the same flow key however it is spelled): the 6th meets the limit.
    // The mails themselves are not counted here: the embedded Kratos still reads the query with URLSearchParams.
    expect(refused).toEqual([false, false, false, false, false, true, true]);
  });

  // code/strategy_recovery.go and link/strategy_recovery.go Recover act on GetRecoveryFlow(x.ParseUUID(body.Flow)), and
  // decodeForm's r.Form.Get("flow") is a urlencoded body's value first: `?flow=A` with `flow=B` in the body would have
  // Kratos mail or check a code for B while the edge priced A.
  it("refuses a submission whose body names another flow than its URL, before Kratos sees it, for every guarded kind", async () => {
    for (const kind of ["login", "registration", "recovery", "verification"] as const) {
      const headers = { "X-Forwarded-For": freshIp() };
      const priced = await createApiFlow(stack.hera, kind, headers);
      const acted = await createApiFlow(stack.hera, kind, headers);
      const bodies = [
        {
          type: "application/x-www-form-urlencoded",
          body: `csrf_token=T&method=code&flow=${acted}&email=${encodeURIComponent(uniqueEmail("swap"))}`,
        },
        { type: "application/x-www-form-urlencoded", body: `flow=&method=code&email=${encodeURIComponent(uniqueEmail("swap"))}` },
        { type: "application/json", body: JSON.stringify({ method: "code", flow: acted, code: "123456" }) },
      ];
      for (const { type, body } of bodies) {
        const before = stack.hera.forwarded.length;
        const response = await fetch(`${stack.hera.kratos}/self-service/${kind}?flow=${priced}`, {
          method: "POST",
          headers: { "Content-Type": type, Accept: "application/json", ...headers },
          body,
        });
        expect(response.status, `${kind} ${body}`).toBe(400);
        expect(((await response.json()) as { error: { reason: string } }).error.reason).toMatch(/flow named in the request body/);
        expect(stack.hera.forwarded.slice(before)).toEqual([]);
      }
      // The query's own flow in the body, however spelled, goes on to Kratos.
      const before = stack.hera.forwarded.length;
      await fetch(`${stack.hera.kratos}/self-service/${kind}?flow=${priced}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...headers },
        body: `flow=${priced.toUpperCase()}&method=code`,
      });
      expect(stack.hera.forwarded.slice(before)).toContain(`/self-service/${kind}`);
    }
  });

  it("login: a password with ?method=password is not checked (Kratos' password strategy reads the body alone)", async () => {
    const { email } = await createPerson(stack);
    const headers = { "X-Forwarded-For": freshIp() };
    const flow = await createApiFlow(stack.hera, "login", headers);
    const response = await post(
      `/self-service/login?flow=${flow}&method=password`,
      { identifier: email, password: STRONG_PASSWORD },
      headers,
    );
    expect(response.status).toBe(400);
  });
});
