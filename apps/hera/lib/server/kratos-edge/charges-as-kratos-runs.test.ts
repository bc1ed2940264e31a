import { describe, expect, it } from "vitest";
import { chargesFor, type Fields, type KratosFlow } from "./submission";

/**
 * The charges of submissions Kratos v26.2.0 acts on whatever HTTP method or
 * `method` field they come with: the sources each case follows are named with it.
 */
const FLOW_ID = "5f1c1d4e-8a0b-4c55-9d7e-2f3a4b5c6d7e";
const flow = (state: string, extra: Partial<KratosFlow> = {}, nodes: { name: string; value: string }[] = []): KratosFlow => ({
  id: FLOW_ID,
  type: "api",
  state,
  ui: { nodes: nodes.map((n) => ({ type: "input", group: "code", attributes: { name: n.name, value: n.value, type: "hidden" } })) },
  ...extra,
});
const fields = (entries: Record<string, string | string[]>): Fields =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
const guess = (identifier = `flow:${FLOW_ID}`) => ({ type: "attempt", attempt: "code", identifiers: [identifier] });
const mail = (...addresses: string[]) => ({ type: "mail", addresses });

describe("GET submissions that make Kratos send or check", () => {
  // verification/handler.go routes GET to updateVerificationFlow; code/strategy_verification.go and
  // link/strategy_verification.go decode with HTTPDecoderAllowedMethods("POST", "GET") and read the query.
  it("charges a verification mail asked for by GET, by either strategy", () => {
    const byCode = flow("choose_method", { active: "code" });
    expect(chargesFor("verification", "GET", fields({ method: "code", email: "Victim@example.com" }), byCode, FLOW_ID)).toEqual([
      mail("victim@example.com"),
    ]);
    // A flow whose code was sent takes a new address the same way (verificationHandleFormSubmission).
    expect(
      chargesFor(
        "verification",
        "GET",
        fields({ method: "code", email: "v@example.com" }),
        flow("sent_email", { active: "code" }),
        FLOW_ID,
      ),
    ).toEqual([mail("v@example.com")]);
    const byLink = flow("choose_method", { active: "link" });
    expect(chargesFor("verification", "GET", fields({ method: "link", email: "v@example.com" }), byLink, FLOW_ID)).toEqual([
      mail("v@example.com"),
    ]);
    // Only the flow's own strategy runs (updateVerificationFlow skips the other primary strategy).
    expect(chargesFor("verification", "GET", fields({ method: "link", email: "v@example.com" }), byCode, FLOW_ID)).toEqual([]);
    // A flow that has passed (or any other state) starts over: nothing sent.
    expect(
      chargesFor(
        "verification",
        "GET",
        fields({ method: "code", email: "v@example.com" }),
        flow("passed_challenge", { active: "code" }),
        FLOW_ID,
      ),
    ).toEqual([]);
  });

  it("charges a link token by GET as a guess, and not the code of a mail's link, which Kratos only puts into the form", () => {
    const byLink = flow("sent_email", { active: "link" }, [{ name: "email", value: "Ann@example.com" }]);
    // link/strategy_verification.go Verify: a token is checked (verificationUseToken) whatever the method and state.
    expect(chargesFor("verification", "GET", fields({ token: "t0k3n" }), byLink, FLOW_ID)).toEqual([guess("ann@example.com")]);
    // code/strategy_verification.go verificationHandleFormSubmission: a GET code goes to handleLinkClick, unchecked.
    expect(chargesFor("verification", "GET", fields({ code: "123456" }), flow("sent_email", { active: "code" }), FLOW_ID)).toEqual([]);
    expect(
      chargesFor(
        "verification",
        "GET",
        fields({ method: "code", code: "123456", email: "v@example.com" }),
        flow("sent_email", { active: "code" }),
        FLOW_ID,
      ),
    ).toEqual([]);
  });

  it("charges a recovery link asked for by GET, and nothing on a code recovery flow, whose decoder takes POST only", () => {
    // recovery/handler.go routes GET to updateRecoveryFlow; link/strategy_recovery.go decodes POST and GET.
    const byLink = flow("choose_method", { active: "link" });
    expect(chargesFor("recovery", "GET", fields({ method: "link", email: "v@example.com" }), byLink, FLOW_ID)).toEqual([
      mail("v@example.com"),
    ]);
    expect(chargesFor("recovery", "GET", fields({ token: "t0k3n" }), byLink, FLOW_ID)).toEqual([guess()]);
    // code/strategy_recovery.go Recover takes every submission to a code flow; decodeRecovery allows POST only.
    const byCode = flow("sent_email", { active: "code" });
    const bodies: Record<string, string>[] = [
      { method: "link", email: "v@example.com" },
      { method: "code", email: "v@example.com" },
      { code: "123456" },
    ];
    for (const body of bodies) expect(chargesFor("recovery", "GET", fields(body), byCode, FLOW_ID)).toEqual([]);
  });

  it("charges an OIDC registration by GET as a registration, whatever `method` says", () => {
    // oidc/strategy_registration.go Register: newLinkDecoder allows GET and reads the query; any `provider` goes on
    // unless `method` is another (compared after Go's strings.ToLower, which turns "OİDC" into "oidc").
    const registration = { type: "registration" };
    const start = flow("choose_method");
    expect(chargesFor("registration", "GET", fields({ provider: "google" }), start, FLOW_ID)).toEqual([registration]);
    expect(chargesFor("registration", "GET", fields({ method: "OİDC", provider: "google", id_token: "x" }), start, FLOW_ID)).toEqual([
      registration,
    ]);
    // No provider: the OIDC strategy is not responsible, and no other registration decoder takes GET.
    expect(chargesFor("registration", "GET", fields({ method: "password", password: "x" }), start, FLOW_ID)).toEqual([]);
    // An OIDC login by GET costs what its POST twin costs (oidc/strategy_login.go Login, the same decoder): nothing.
    expect(chargesFor("login", "GET", fields({ method: "oidc", provider: "google" }), start, FLOW_ID)).toEqual([]);
  });

  it("charges nothing for HEAD, which Kratos routes like GET but no decoder accepts (decoderx validateRequest)", () => {
    for (const kind of ["verification", "recovery", "login"] as const)
      expect(
        chargesFor(
          kind,
          "HEAD",
          fields({ method: kind === "recovery" ? "link" : "code", email: "v@example.com" }),
          flow("choose_method"),
          FLOW_ID,
        ),
      ).toEqual([]);
  });
});

describe("code guesses without method=code", () => {
  it("charges a recovery code past the first screen whatever the method, when no e-mail comes with it", () => {
    // code/strategy_recovery.go Recover (v1): a flow not on choose_method and a body without email → recoveryUseCode.
    const sent = flow("sent_email", { active: "code" }, [{ name: "email", value: "bob@example.com" }]);
    expect(chargesFor("recovery", "POST", fields({ code: "000000" }), sent, FLOW_ID)).toEqual([guess("bob@example.com")]);
    expect(chargesFor("recovery", "POST", fields({ method: "link", code: "000000" }), sent, FLOW_ID)).toEqual([guess("bob@example.com")]);
    // With an e-mail and another method the code strategy steps aside and the link strategy sends (link Recover).
    expect(chargesFor("recovery", "POST", fields({ method: "link", email: "v@example.com" }), sent, FLOW_ID)).toEqual([
      mail("v@example.com"),
    ]);
    // A name given twice may decode either way: the guess and the mail are both charged.
    expect(chargesFor("recovery", "POST", fields({ method: "code", code: "000000", email: ["", "v@example.com"] }), sent, FLOW_ID)).toEqual(
      [guess("bob@example.com"), mail("v@example.com")],
    );
  });

  it("charges a bare verification code, and a code over an address it comes with (the code wins)", () => {
    // code/strategy_verification.go getMethod: no method but a code selects the code strategy.
    const sent = flow("sent_email", { active: "code" }, [{ name: "email", value: "Cy@example.com" }]);
    expect(chargesFor("verification", "POST", fields({ code: "000000" }), sent, FLOW_ID)).toEqual([guess("cy@example.com")]);
    // verificationHandleFormSubmission checks a code before it looks at an email: nothing is sent.
    expect(chargesFor("verification", "POST", fields({ method: "code", code: "000000", email: "v@example.com" }), sent, FLOW_ID)).toEqual([
      guess("cy@example.com"),
    ]);
    // The code is checked on the first screen too (Verify falls through from choose_method).
    expect(chargesFor("verification", "POST", fields({ code: "000000" }), flow("choose_method", { active: "code" }), FLOW_ID)).toEqual([
      guess(),
    ]);
  });
});

describe("second-factor codes by `address`", () => {
  // code/strategy_login.go Login: with second-factor codes on, an `address` selects the strategy without a method;
  // on the first screen (or `resend`, any case: SetDefaultFlowState) it sends to cmp.Or(identifier, address),
  // once sent it checks the code (loginVerifyCode).
  const aal2 = (state: string) => flow(state, { requested_aal: "aal2" }, [{ name: "identifier", value: "+4915112345678" }]);

  it("charges the message an address asks for, keyed as the code strategy sends (E.164)", () => {
    expect(chargesFor("login", "POST", fields({ address: "+49 151 12345678" }), aal2("choose_method"), FLOW_ID)).toEqual([
      mail("+4915112345678"),
    ]);
    expect(chargesFor("login", "POST", fields({ method: "code", address: "Ann@Example.com" }), aal2("choose_method"), FLOW_ID)).toEqual([
      mail("ann@example.com"),
    ]);
    expect(chargesFor("login", "POST", fields({ address: "+4915112345678", resend: "CODE" }), aal2("sent_email"), FLOW_ID)).toEqual([
      mail("+4915112345678"),
    ]);
  });

  it("charges the code an address comes with, once sent, as a guess against the address it went to", () => {
    expect(chargesFor("login", "POST", fields({ address: "+4915112345678", code: "123456" }), aal2("sent_email"), FLOW_ID)).toEqual([
      guess("+4915112345678"),
    ]);
  });

  it("charges a resend to the identifier the body names, not the one the flow shows", () => {
    const sent = flow("sent_email", {}, [{ name: "identifier", value: "me@example.com" }]);
    expect(
      chargesFor("login", "POST", fields({ method: "code", resend: "code", identifier: "victim@example.com" }), sent, FLOW_ID),
    ).toEqual([mail("victim@example.com")]);
  });
});
