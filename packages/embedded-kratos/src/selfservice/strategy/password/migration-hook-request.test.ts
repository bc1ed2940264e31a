import { describe, expect, it } from "vitest";
import { KratosError } from "../../../http/errors";
import { canonicalHeaderKey, goCookies } from "../../../request/template-context";
import { buildMigrationHookRequest, type MigrationHookInput } from "./migration-hook-request";

/**
 * The password migration hook's request as request/builder.go builds it
 * (NewBuilder, BuildRequest, addJSONBody, addURLEncodedBody; auth.go) with
 * the template context of selfservice/hook/web_hook.go (templateContext,
 * cookies) merged with identifier and password
 * (selfservice/hook/password_migration_hook.go Execute).
 */
const kratos = { source: "/nonexistent/kratos.yml" };
const input: MigrationHookInput = {
  identifier: "a@example.com",
  password: "pw 1~*!",
  flow: { id: "f1", type: "browser" },
  identity: { id: "i1", traits: { email: "a@example.com" } },
  request: {
    method: "POST",
    target: "/self-service/login?flow=f1",
    headers: { host: ["kratos.local:4433"], "x-custom-thing": ["1", "2"], cookie: ['a=1; b="two"; a=3; bad name=x; c=\\\\no', "d"] },
  },
};
const template = (source: string) => `base64://${Buffer.from(source).toString("base64")}`;

describe("request/builder.go BuildRequest for the password migration hook", () => {
  it("sends json.Marshal of {identifier, password} without a template, JSON by default, with the configured headers and auth", async () => {
    const { headers, body } = await buildMigrationHookRequest(kratos, { method: "POST", headers: { "X-Extra": "yes" } }, input);
    expect(body).toBe('{"identifier":"a@example.com","password":"pw 1~*!"}');
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("x-extra")).toBe("yes");

    const cookieAuth = await buildMigrationHookRequest(
      kratos,
      { method: "POST", headers: { Cookie: "x=1" }, auth: { type: "api_key", config: { name: "key", value: "v", in: "cookie" } } },
      input,
    );
    expect(cookieAuth.headers.get("cookie")).toBe("x=1; key=v");
  });

  it("gives the template Kratos' context: Go header names, the request URL, cookies as net/http reads them", async () => {
    const { body } = await buildMigrationHookRequest(kratos, { method: "POST", body: template("function(ctx) ctx") }, input);
    expect(JSON.parse(body)).toEqual({
      flow: { id: "f1", type: "browser" },
      identity: { id: "i1", traits: { email: "a@example.com" } },
      identifier: "a@example.com",
      password: "pw 1~*!",
      request_cookies: { a: "3", b: "two", d: "" },
      request_headers: { Cookie: ['a=1; b="two"; a=3; bad name=x; c=\\\\no', "d"], "X-Custom-Thing": ["1", "2"] },
      request_method: "POST",
      request_url: "http://kratos.local:4433/self-service/login?flow=f1",
    });
  });

  it("form-encodes a template's output of strings like url.Values.Encode, and refuses other output (addURLEncodedBody)", async () => {
    const config = { method: "POST" as const, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    const form = await buildMigrationHookRequest(
      kratos,
      { ...config, body: template("function(ctx) { z: ctx.password, a: null, 'k y': ctx.identifier }") },
      input,
    );
    expect(form.body).toBe("a=&k+y=a%40example.com&z=pw+1~%2A%21");
    await expect(buildMigrationHookRequest(kratos, { ...config, body: template("function(ctx) { n: 1 }") }, input)).rejects.toThrow(
      "json: cannot unmarshal number into Go value of type string",
    );
  });

  it("refuses a Content-Type other than JSON or form with a template, and reports template errors (500)", async () => {
    const textPlain = buildMigrationHookRequest(
      kratos,
      { method: "POST", headers: { "Content-Type": "text/plain" }, body: template("{}") },
      input,
    );
    await expect(textPlain).rejects.toThrow("invalid config - incorrect Content-Type for request with body");
    const failing = await buildMigrationHookRequest(kratos, { method: "POST", body: template("error 'no'") }, input).catch(
      (e: unknown) => e,
    );
    expect(failing).toBeInstanceOf(KratosError);
    expect((failing as KratosError).code).toBe(500);
    // addJSONBody returns the VM's error: ory/x jsonnetsecure processPoolVM.EvaluateAnonymousSnippet's text.
    expect((failing as KratosError).message).toMatch(/^jsonnetsecure: ERROR: RUNTIME ERROR: no\n\tbase64:\/\/\S+:1:1-11\t\$\n/);
  });

  it("canonicalises header names as textproto does and parses cookies as net/http does", () => {
    expect(canonicalHeaderKey("x-forwarded-for")).toBe("X-Forwarded-For");
    expect(canonicalHeaderKey("WWW-AUTHENTICATE")).toBe("Www-Authenticate");
    expect(canonicalHeaderKey("bad header")).toBe("bad header");
    expect(goCookies(["a=%41; b=", 'c="q"', "=x; d"])).toEqual({ a: "%41", b: "", c: "q", d: "" });
  });
});
