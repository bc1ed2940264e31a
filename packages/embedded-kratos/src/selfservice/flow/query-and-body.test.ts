import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../testing/harness";
import { withQueryFields } from "./query-and-body";

/**
 * Where a submission's fields come from. ory/x decoderx/http.go: decodeForm
 * reads r.PostForm and decodeJSONForm the body, unless a strategy decodes
 * with HTTPDecoderUseQueryAndBody — in Kratos v26.2.0 only the code and link
 * strategies' decodeRecovery / decodeVerification (and oidc's link decoder).
 */
describe("withQueryFields (decoderx HTTPDecoderUseQueryAndBody)", () => {
  const query = new URLSearchParams("flow=f&method=code&email=query%40example.com&code=");

  it("lets the query win over a JSON body, an empty query value removing the field (decodeJSONForm, decodeURLValues)", () => {
    expect(
      withQueryFields({ method: "link", email: "body@example.com", code: "123456" }, "application/json; charset=utf-8", query),
    ).toEqual({
      method: "code",
      email: "query@example.com",
      flow: "f",
    });
  });

  it("lets a urlencoded body win, the query filling in what it lacks (decodeForm's r.Form.Get)", () => {
    expect(withQueryFields({ email: "body@example.com" }, "application/x-www-form-urlencoded", query)).toEqual({
      email: "body@example.com",
      method: "code",
      flow: "f",
    });
  });

  it("takes a query's first value, as url.Values.Get does", () => {
    expect(withQueryFields({}, "multipart/form-data; boundary=x", new URLSearchParams("method=code&method=link"))).toEqual({
      method: "code",
    });
  });
});

describe("a submission's method and fields through the handlers", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;
  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_query_and_body")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const apiFlow = async (kind: string) =>
    ((await (await fetch(`${kratos.publicUrl}/self-service/${kind}/api`)).json()) as { id: string }).id;
  const post = (url: string, body: string) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body });

  it("does not take a login's method from the query (password strategy: decoderx without UseQueryAndBody)", async () => {
    const email = uniqueEmail("query-method");
    const password = STRONG_PASSWORD;
    const created = await fetch(`${kratos.adminUrl}/admin/identities`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ schema_id: "default", traits: { email }, credentials: { password: { config: { password } } } }),
    });
    expect(created.status).toBe(201);
    for (const body of [
      JSON.stringify({ identifier: email, password }),
      `{"method":"password","method":null,"identifier":"${email}","password":"${password}"}`,
    ]) {
      const res = await post(`${kratos.publicUrl}/self-service/login?flow=${await apiFlow("login")}&method=password`, body);
      const answer = (await res.json()) as { session_token?: string };
      expect(res.status).toBe(400);
      expect(answer.session_token).toBeUndefined();
    }
  });

  it("takes a verification's email from the query (code strategy decodeVerification: HTTPDecoderUseQueryAndBody)", async () => {
    const email = uniqueEmail("query-email");
    const res = await post(
      `${kratos.publicUrl}/self-service/verification?flow=${await apiFlow("verification")}&email=${encodeURIComponent(email)}`,
      '{"method":"code"}',
    );
    const answer = (await res.json()) as { state?: string };
    expect(res.status).toBe(200);
    expect(answer.state).toBe("sent_email");
  });
});
