import { describe, expect, it } from "vitest";
import { refusalFromCookie, refusedFlow, RATE_LIMITED_MESSAGE_ID } from "./refusal";
import { chargesFor, fieldsFromForm, fieldsFromJson, type KratosFlow } from "./submission";
import { browserLocation } from "./upstream";
import { chargesNeedNoFlow, outcomeOf } from "./edge";

const FLOW_ID = "2b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10";
const flow = (state: string, nodes: { name: string; value?: string; type?: string }[] = []): KratosFlow => ({
  id: FLOW_ID,
  type: "browser",
  state,
  ui: {
    nodes: nodes.map((n) => ({
      type: "input",
      group: "default",
      attributes: { name: n.name, value: n.value, type: n.type ?? "text" },
      messages: [],
    })),
  },
});
const fields = (entries: Record<string, string | string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

describe("what a submission is charged for", () => {
  it("charges a password guess per identifier (every value given), and nothing Kratos would not check", () => {
    expect(
      chargesFor(
        "login",
        "POST",
        fields({ method: "password", identifier: " Ann@Example.com ", password: "x" }),
        flow("choose_method"),
        FLOW_ID,
      ),
    ).toEqual([{ type: "attempt", attempt: "password", identifiers: ["ann@example.com"] }]);
    expect(
      chargesFor(
        "login",
        "POST",
        fields({ method: "password", identifier: ["a@x.io", "b@x.io"], password: "x" }),
        flow("choose_method"),
        FLOW_ID,
      ),
    ).toEqual([{ type: "attempt", attempt: "password", identifiers: ["a@x.io", "b@x.io"] }]);
    expect(
      chargesFor(
        "login",
        "POST",
        fields({ method: "password", password_identifier: "c@x.io", password: "x" }),
        flow("choose_method"),
        FLOW_ID,
      )[0],
    ).toMatchObject({ identifiers: ["c@x.io"] });
    expect(
      chargesFor("login", "POST", fields({ method: "password", identifier: "a@x.io", password: "" }), flow("choose_method"), FLOW_ID),
    ).toEqual([]);
    expect(chargesFor("login", "POST", fields({ method: "webauthn", identifier: "a@x.io" }), flow("choose_method"), FLOW_ID)).toEqual([]);
  });

  it("tells a code being sent from a code being guessed by the flow's state, and counts a guess against the address the code went to", () => {
    const sent = flow("sent_email", [{ name: "identifier", value: "Ann@example.com", type: "hidden" }]);
    expect(chargesFor("login", "POST", fields({ method: "code", identifier: "ann@example.com" }), flow("choose_method"), FLOW_ID)).toEqual([
      { type: "mail", addresses: ["ann@example.com"] },
    ]);
    expect(chargesFor("login", "POST", fields({ method: "code", code: "123456", identifier: "someone@else.io" }), sent, FLOW_ID)).toEqual([
      { type: "attempt", attempt: "code", identifiers: ["ann@example.com"] },
    ]);
    // The resend button posts the form's hidden identifier: Kratos sends to the identifier the body names.
    expect(chargesFor("login", "POST", fields({ method: "code", resend: "code", identifier: "Ann@example.com" }), sent, FLOW_ID)).toEqual([
      { type: "mail", addresses: ["ann@example.com"] },
    ]);
    const recovery = flow("sent_email", [{ name: "email", value: "bob@example.com", type: "submit" }]);
    expect(chargesFor("recovery", "POST", fields({ method: "code", code: "000000" }), recovery, FLOW_ID)).toEqual([
      { type: "attempt", attempt: "code", identifiers: ["bob@example.com"] },
    ]);
    expect(chargesFor("recovery", "POST", fields({ method: "code", email: "bob@example.com" }), recovery, FLOW_ID)).toEqual([
      { type: "mail", addresses: ["bob@example.com"] },
    ]);
    // A verification code without an address is counted against its flow (an admin-issued code has no address shown).
    expect(chargesFor("verification", "POST", fields({ method: "code", code: "111111" }), flow("sent_email"), FLOW_ID)).toEqual([
      { type: "attempt", attempt: "code", identifiers: [`flow:${FLOW_ID}`] },
    ]);
  });

  it("charges every registration submission, and a registration code's mail to the e-mail traits", () => {
    const form = flow("choose_method", [
      { name: "traits.email", type: "email" },
      { name: "traits.name", type: "text" },
    ]);
    expect(
      chargesFor("registration", "POST", fields({ method: "password", "traits.email": "x@y.io", password: "p" }), form, FLOW_ID),
    ).toEqual([{ type: "registration" }]);
    expect(
      chargesFor("registration", "POST", fields({ method: "code", "traits.email": "X@y.io", "traits.name": "a@b" }), form, FLOW_ID),
    ).toEqual([{ type: "registration" }, { type: "mail", addresses: ["x@y.io"] }]);
  });

  // Kratos' keys: persistence/sql/identity/persister_identity.go stringToLowerTrim (Go's TrimSpace and ToLower),
  // x/normalize.go GracefulNormalization (code login) and NormalizeIdentifier(value, "sms") (registration codes).
  it("keys identifiers as Kratos matches them: trimmed and lower-cased as Go does, phone numbers for codes in E.164", () => {
    const passwordKeys = (identifier: string) =>
      chargesFor("login", "POST", fields({ method: "password", identifier, password: "x" }), flow("choose_method"), FLOW_ID);
    for (const spelling of ["victim@x.com\u0085", "\u0085\u0085Victim@X.com\u0085", "v\u0130ctim@x.com"])
      expect(passwordKeys(spelling)).toEqual(passwordKeys("victim@x.com"));
    // Password sign-ins match without E.164: Kratos keeps these two apart.
    expect(passwordKeys("+49 170 1234567")).toEqual([{ type: "attempt", attempt: "password", identifiers: ["+49 170 1234567"] }]);

    for (const spelling of ["+49 170 1234567", "+49 (0)170 1234567", "+49-170-1234567\u0085"]) {
      expect(chargesFor("login", "POST", fields({ method: "code", identifier: spelling }), flow("choose_method"), FLOW_ID)).toEqual([
        { type: "mail", addresses: ["+491701234567"] },
      ]);
      const sent = flow("sent_email", [{ name: "identifier", value: spelling, type: "hidden" }]);
      expect(chargesFor("login", "POST", fields({ method: "code", code: "123456" }), sent, FLOW_ID)).toEqual([
        { type: "attempt", attempt: "code", identifiers: ["+491701234567"] },
      ]);
    }

    const form = flow("choose_method", [
      { name: "traits.email", type: "email" },
      { name: "traits.phone", type: "tel" },
    ]);
    expect(
      chargesFor(
        "registration",
        "POST",
        fields({ method: "code", "traits.email": "X@y.io", "traits.phone": "+49 (0)170 1234567" }),
        form,
        FLOW_ID,
      ),
    ).toEqual([{ type: "registration" }, { type: "mail", addresses: ["x@y.io", "+491701234567"] }]);
  });

  // Recovery v2 (feature_flags.choose_recovery_address): Kratos' selfservice/strategy/code/strategy_recovery.go,
  // Recover and recoveryV2HandleStateAwaitingAddress / …AwaitingAddressChoice / …ConfirmingAddress / …AwaitingCode / …GoBack.
  describe("recovery v2", () => {
    const recover = (state: string, body: Record<string, string | string[]>, nodes: Parameters<typeof flow>[1] = []) =>
      chargesFor("recovery", "POST", fields(body), flow(state, nodes), FLOW_ID);
    const codeScreen = [
      { name: "code", type: "text" },
      { name: "method", value: "code", type: "hidden" },
      { name: "recovery_confirm_address", value: "+4915112345678", type: "submit" },
      { name: "recovery_address", value: "Ann@example.com", type: "hidden" },
      { name: "screen", value: "previous", type: "submit" },
    ];

    it("charges a mail wherever a v2 screen may send one, to the address it would go to, whatever `method` says", () => {
      // First screen: a lone address typed in full is sent to at once; charged whether or not an account has it.
      expect(recover("recovery_awaiting_address", { method: "code", recovery_address: " Ann@Example.com " })).toEqual([
        { type: "mail", addresses: ["ann@example.com"] },
      ]);
      expect(recover("recovery_awaiting_address", { recovery_address: "nobody@example.com" })).toEqual([
        { type: "mail", addresses: ["nobody@example.com"] },
      ]);
      expect(recover("recovery_awaiting_address", { method: "code", recovery_address: "" })).toEqual([]);
      // Choice screen: a choice may send to the typed address (its hash chosen); the edge cannot read the hash.
      expect(
        recover("recovery_awaiting_address_choice", { recovery_select_address: "aGFzaA==", recovery_address: "ann@example.com" }),
      ).toEqual([{ type: "mail", addresses: ["ann@example.com"] }]);
      expect(recover("recovery_awaiting_address_choice", { recovery_address: "ann@example.com" })).toEqual([]);
      // Confirmation screen: the code goes to the address as typed there.
      expect(
        recover("recovery_confirming_address", {
          method: "code",
          recovery_confirm_address: "+4915112345678",
          recovery_address: "ann@example.com",
        }),
      ).toEqual([{ type: "mail", addresses: ["+4915112345678"] }]);
      // Code screen without a code: the resend button, sent again to the address it names.
      expect(recover("recovery_awaiting_code", { method: "code", recovery_confirm_address: "+4915112345678" }, codeScreen)).toEqual([
        { type: "mail", addresses: ["+4915112345678"] },
      ]);
      expect(recover("recovery_awaiting_code", { code: "", recovery_confirm_address: "victim@example.com" }, codeScreen)).toEqual([
        { type: "mail", addresses: ["victim@example.com"] },
      ]);
      // v1's `email` means nothing to a v2 flow: no mail charged for it.
      expect(recover("recovery_awaiting_address", { method: "code", email: "x@example.com" })).toEqual([]);
    });

    it("counts a code on the code screen as a guess against the address the code went to, across flows", () => {
      expect(recover("recovery_awaiting_code", { method: "code", code: "12345678" }, codeScreen)).toEqual([
        { type: "attempt", attempt: "code", identifiers: ["+4915112345678"] },
      ]);
      // Kratos checks a code of blanks too (len(code) > 0); the attempt never names what the body claims
      // (without a resend button on the flow, the address typed first, then the flow).
      expect(
        recover(
          "recovery_awaiting_code",
          { code: " ", recovery_confirm_address: "other@example.com" },
          codeScreen.filter((n) => n.name !== "recovery_confirm_address"),
        ),
      ).toEqual([{ type: "attempt", attempt: "code", identifiers: ["ann@example.com"] }]);
      expect(recover("recovery_awaiting_code", { code: "1" })).toEqual([
        { type: "attempt", attempt: "code", identifiers: [`flow:${FLOW_ID}`] },
      ]);
      // A code given twice, once empty: whichever Kratos decodes, it is charged for.
      expect(recover("recovery_awaiting_code", { code: ["", "1"], recovery_confirm_address: "+4915112345678" }, codeScreen)).toEqual([
        { type: "attempt", attempt: "code", identifiers: ["+4915112345678"] },
        { type: "mail", addresses: ["+4915112345678"] },
      ]);
      // A code on any other v2 screen is not checked.
      expect(recover("recovery_confirming_address", { code: "12345678" })).toEqual([]);
    });

    it("charges nothing for the back button (it never sends), unless a value other than `previous` comes with it", () => {
      expect(
        recover("recovery_confirming_address", {
          screen: "previous",
          recovery_confirm_address: "+49151",
          recovery_address: "ann@example.com",
        }),
      ).toEqual([]);
      expect(recover("recovery_awaiting_code", { screen: "previous", recovery_address: "ann@example.com" }, codeScreen)).toEqual([]);
      expect(recover("recovery_confirming_address", { screen: ["previous", "x"], recovery_confirm_address: "+49151" })).toEqual([
        { type: "mail", addresses: ["+49151"] },
      ]);
      expect(recover("recovery_confirming_address", { screen: "Previous", recovery_confirm_address: "+49151" })).toEqual([
        { type: "mail", addresses: ["+49151"] },
      ]);
    });
  });

  it("reads JSON and form bodies the way Kratos' decoder does", () => {
    expect(fieldsFromJson({ method: "password", traits: { email: "a@b.c", tags: ["x", "y"] }, n: 1 })).toEqual(
      new Map([
        ["method", ["password"]],
        ["traits.email", ["a@b.c"]],
        ["traits.tags", ["x", "y"]],
        ["n", ["1"]],
      ]),
    );
    expect(fieldsFromForm(new URLSearchParams("identifier=a&identifier=b&method=password").entries())).toEqual(
      new Map([
        ["identifier", ["a", "b"]],
        ["method", ["password"]],
      ]),
    );
  });
});

describe("what the edge makes of Kratos' answer", () => {
  it("tells right guesses, wrong ones and unchecked ones apart", () => {
    expect(outcomeOf("login", 200, null, { session: {} }, FLOW_ID)).toBe("succeeded");
    expect(outcomeOf("login", 400, null, { id: FLOW_ID, ui: { nodes: [] } }, FLOW_ID)).toBe("failed");
    expect(outcomeOf("login", 200, null, { id: FLOW_ID, ui: { nodes: [] }, state: "sent_email" }, FLOW_ID)).toBe("failed");
    expect(outcomeOf("login", 200, null, { id: FLOW_ID, ui: { nodes: [] }, state: "passed_challenge" }, FLOW_ID)).toBe("succeeded");
    expect(outcomeOf("login", 422, null, { error: { id: "browser_location_change_required" } }, FLOW_ID)).toBe("succeeded");
    expect(outcomeOf("login", 303, `http://ciam.localhost:3000/login?flow=${FLOW_ID}`, undefined, FLOW_ID)).toBe("failed");
    expect(outcomeOf("login", 303, "http://ciam.localhost:3000/", undefined, FLOW_ID)).toBe("succeeded");
    expect(outcomeOf("login", 403, null, { error: { id: "security_csrf_violation" } }, FLOW_ID)).toBe("not_checked");
    expect(outcomeOf("login", 410, null, { error: { id: "self_service_flow_expired" } }, FLOW_ID)).toBe("not_checked");
    // Kratos' code strategy retryRecoveryFlow (a used code, too many submissions) redirects to a fresh flow of the same
    // kind without checking the code: never a success, which would clear the address' count of guesses.
    const fresh = "0e7a8f5c-4b2d-4c1e-9f3a-2d6b8c0e1f42";
    expect(outcomeOf("recovery", 303, `http://ciam.localhost:3000/self-service/recovery/flows?id=${fresh}`, undefined, FLOW_ID)).toBe(
      "not_checked",
    );
    expect(outcomeOf("recovery", 303, `http://ciam.localhost:3000/recovery?flow=${fresh}`, undefined, FLOW_ID)).toBe("not_checked");
    // A JSON client's linking login that needs a second factor first gets a new aal2 login flow (Kratos login/hook.go
    // maybeLinkCredentials): the first factor was checked, but nothing was signed in — neither a failure nor a success.
    expect(outcomeOf("login", 200, null, { id: fresh, ui: { nodes: [] }, requested_aal: "aal2" }, FLOW_ID)).toBe("not_checked");
    // A recovery that worked sends the browser on to settings.
    expect(outcomeOf("recovery", 303, `http://ciam.localhost:3000/settings?flow=${fresh}`, undefined, FLOW_ID)).toBe("succeeded");
  });
});

describe("the refusal", () => {
  it("is the flow with message 4000429, node messages cleared, submitted identifiers shown and secrets not", () => {
    const before = flow("choose_method", [
      { name: "identifier", type: "text" },
      { name: "password", type: "password" },
      { name: "csrf_token", value: "token", type: "hidden" },
    ]);
    const refused = refusedFlow(before, 42, fields({ identifier: "ann@example.com", password: "secret", csrf_token: "forged" }));
    expect(refused.ui.messages).toEqual([
      {
        id: RATE_LIMITED_MESSAGE_ID,
        text: "Too many attempts. Please wait 42 seconds before you try again.",
        type: "error",
        context: { retry_after_seconds: 42 },
      },
    ]);
    expect(refused.ui.nodes.map((n) => n.attributes.value)).toEqual(["ann@example.com", undefined, "token"]);
  });

  it("reaches the page a form post is sent back to only for its own flow, and only while the wait lasts", () => {
    const now = Date.UTC(2026, 0, 1);
    const cookie = `${FLOW_ID}.${now / 1000 + 30}`;
    expect(refusalFromCookie(cookie, FLOW_ID, now)).toMatchObject({ id: RATE_LIMITED_MESSAGE_ID, context: { retry_after_seconds: 30 } });
    expect(refusalFromCookie(cookie, "0b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10", now)).toBeUndefined();
    expect(refusalFromCookie(cookie, FLOW_ID, now + 31_000)).toBeUndefined();
    expect(refusalFromCookie("garbage", FLOW_ID, now)).toBeUndefined();
  });
});

describe("redirects through the proxy", () => {
  const target = { kratosUrl: "http://127.0.0.1:3100", browserUrl: "https://ciam.example.com/.ory/kratos" };
  it("turn Kratos' own address into Hera's, and leave every other one as Kratos wrote it", () => {
    expect(browserLocation("http://127.0.0.1:3100/self-service/login/browser?x=1", target)).toBe(
      "https://ciam.example.com/.ory/kratos/self-service/login/browser?x=1",
    );
    expect(browserLocation("https://ciam.example.com/login?flow=1", target)).toBe("https://ciam.example.com/login?flow=1");
    expect(browserLocation("http://127.0.0.1:31000/evil", target)).toBe("http://127.0.0.1:31000/evil");
  });
});

describe("chargesNeedNoFlow", () => {
  const submissions = [
    { method: "password", identifier: "A@example.com", password: "x" },
    { method: ["password", "totp"], identifier: "a@example.com", password: "x", totp_code: "123456" },
    { method: "lookup_secret", lookup_secret: "abcd" },
    { method: "webauthn" },
    { method: "code", identifier: "a@example.com" },
    { method: ["password", " code "], identifier: "a@example.com", password: "x", code: "123456" },
    { address: "a@example.com", code: "123456" },
  ];
  const states = ["choose_method", "sent_email", "passed_challenge"];

  it("holds only where a login's charges are the same whatever the flow, and the flow is never read for them", () => {
    for (const body of submissions) {
      const fields = fieldsFromJson(body);
      const withoutFlow = chargesFor("login", "POST", fields, undefined, FLOW_ID);
      const alike = states.every(
        (state) =>
          JSON.stringify(chargesFor("login", "POST", fields, flow(state, [{ name: "identifier", value: "b@example.com" }]), FLOW_ID)) ===
          JSON.stringify(withoutFlow),
      );
      if (chargesNeedNoFlow("login", "POST", fields)) expect(alike, JSON.stringify(body)).toBe(true);
    }
    expect(submissions.map((b) => chargesNeedNoFlow("login", "POST", fieldsFromJson(b)))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    for (const kind of ["registration", "recovery", "verification"] as const)
      expect(chargesNeedNoFlow(kind, "POST", fieldsFromJson(submissions[0]))).toBe(false);
    expect(chargesNeedNoFlow("login", "GET", fieldsFromJson(submissions[0]))).toBe(false);
  });
});
