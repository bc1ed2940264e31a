import { useScriptedHttpServer } from "@olympus/server-kit/testing";
import { describe, expect, it } from "vitest";
import { KratosError } from "../../../http/errors";
import { runMapper } from "./mapper";

const kratos = {
  source: "/nonexistent/kratos.yml",
  clients: { http: { disallow_private_ip_ranges: false, private_ip_exception_urls: [] } },
};

/**
 * selfservice/strategy/oidc/strategy_registration.go createIdentity: a mapper that fails returns the VM's error
 * unchanged — ory/x jsonnetsecure processPoolVM.EvaluateAnonymousSnippet's `jsonnetsecure: ERROR: ` and go-jsonnet's
 * formatted error — which herodot.ToDefaultError turns into a 500 whose message is that text.
 */
describe("OIDC claims mapper failures (strategy_registration.go createIdentity)", () => {
  const claims = { sub: "s", iss: "https://issuer.example", raw_claims: {} };
  const mapper = (source: string) => ({ mapperUrl: `base64://${Buffer.from(source).toString("base64")}` });
  const failure = async (source: string): Promise<KratosError> => {
    const error = await runMapper(kratos, mapper(source), claims).catch((e: unknown) => e);
    if (!(error instanceof KratosError)) throw new Error("expected a KratosError");
    return error;
  };

  it("answers a runtime error with the jsonnetsecure text as the message", async () => {
    const error = await failure('error "no"');
    expect(error.code).toBe(500);
    expect(error.reason).toBeUndefined();
    expect(error.message).toMatch(/^jsonnetsecure: ERROR: RUNTIME ERROR: no\n\tbase64:\/\/[^\n]*:1:1-11\t\$\n\tDuring evaluation\t\n$/);
  });

  it("answers a static error with go-jsonnet's excerpt after the prefix", async () => {
    const error = await failure("{ a: }");
    expect(error.message).toMatch(/^jsonnetsecure: ERROR: base64:\/\/\S+:1:6-7 Unexpected: "}" while parsing terminal\n\n\{ a: \}\n\n$/);
  });
});

/**
 * strategy_registration.go newIdentityFromClaims: the mapper is read with
 * fetcher.NewFetcher(WithClient(s.d.HTTPClient(ctx)), WithCache(jsonnetCache,
 * 60*time.Minute)).FetchContext — http(s) too, cached by URL — and a fetch
 * error is returned as it is (a 500 with the fetcher's text as message).
 */
describe("OIDC mapper sources (strategy_registration.go newIdentityFromClaims, ory/x fetcher.FetchContext)", () => {
  const claims = { sub: "s", iss: "https://issuer.example", email: "a@example.com", raw_claims: {} };
  const server = useScriptedHttpServer();

  it("runs a mapper served over http and keeps it cached (jsonnetCache, 60 minutes)", async () => {
    server.script("/mapper.jsonnet", { status: 200, body: "local c = std.extVar('claims'); { identity: { traits: { email: c.email } } }" });
    const first = await runMapper(kratos, { mapperUrl: `${server.base}/mapper.jsonnet` }, claims);
    expect(first.traits).toEqual({ email: "a@example.com" });
    server.script("/mapper.jsonnet", { status: 200, body: "{ identity: { traits: { changed: true } } }" });
    const second = await runMapper(kratos, { mapperUrl: `${server.base}/mapper.jsonnet` }, claims);
    expect(second.traits).toEqual({ email: "a@example.com" });
    expect(server.requests("/mapper.jsonnet")).toHaveLength(1);
  });

  it("answers a fetch failure with the fetcher's text as a 500 message", async () => {
    const fail = async (mapperUrl: string): Promise<KratosError> => {
      const error = await runMapper(kratos, { mapperUrl }, claims).catch((e: unknown) => e);
      if (!(error instanceof KratosError)) throw new Error("expected a KratosError");
      return error;
    };
    const missing = await fail(`${server.base}/gone.jsonnet`);
    expect([missing.code, missing.message]).toEqual([
      500,
      `expected http response status code 200 but got 404 when fetching: ${server.base}/gone.jsonnet`,
    ]);
    expect((await fail("file:///nonexistent/oidc.jsonnet")).message).toBe(
      "unable to open file: /nonexistent/oidc.jsonnet: open /nonexistent/oidc.jsonnet: no such file or directory",
    );
  });
});
