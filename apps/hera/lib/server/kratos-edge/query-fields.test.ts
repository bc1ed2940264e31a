import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, createApiFlow, createPerson, freshIp, STRONG_PASSWORD, uniqueEmail } from "@/lib/testing/edge-clients";
import { startEdgeStack, type EdgeStack } from "@/lib/testing/edge-stack";
import { withQueryFields } from "./query-fields";
import { RATE_LIMITED_MESSAGE_ID } from "./refusal";
import { submittedFields } from "./request-body";
import { chargesFor } from "./submission";

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

describe("submittedFields: a JSON number's digits", () => {
  it("keys an integer past 2^53 by its text, as gjson's Result.String gives it to decodeJSONForm", async () => {
    const fields = await submittedFields(
      "application/json",
      new TextEncoder().encode('{"identifier":12345678901234567890,"n":1.5,"m":-7}'),
    );
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
