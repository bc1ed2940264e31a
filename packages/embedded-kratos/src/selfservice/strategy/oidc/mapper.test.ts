import { describe, expect, it } from "vitest";
import { KratosError } from "../../../http/errors";
import { runMapper } from "./mapper";

/**
 * selfservice/strategy/oidc/strategy_registration.go createIdentity: a mapper that fails returns the VM's error
 * unchanged — ory/x jsonnetsecure processPoolVM.EvaluateAnonymousSnippet's `jsonnetsecure: ERROR: ` and go-jsonnet's
 * formatted error — which herodot.ToDefaultError turns into a 500 whose message is that text.
 */
describe("OIDC claims mapper failures (strategy_registration.go createIdentity)", () => {
  const claims = { sub: "s", iss: "https://issuer.example", raw_claims: {} };
  const mapper = (source: string) => ({ mapperUrl: `base64://${Buffer.from(source).toString("base64")}` });
  const failure = async (source: string): Promise<KratosError> => {
    const error = await runMapper({ source: "/nonexistent/kratos.yml" }, mapper(source), claims).catch((e: unknown) => e);
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
