import { describe, expect, it } from "vitest";
import { DEFAULT_CAPTCHA_POLICY, type CaptchaPolicy } from "@olympus/athena-store/settings";
import { flowShowsCaptcha, submissionNeedsCaptcha } from "../captcha/requirement";
import { captchaRefusedFor, withoutCaptchaField } from "./captcha-gate";
import { fieldsFromForm } from "./submission";

const bytes = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe("the CAPTCHA field never reaches Kratos", () => {
  it("is taken out of JSON, urlencoded and multipart bodies, every other field kept in order", async () => {
    const json = await withoutCaptchaField(
      "application/json",
      bytes(JSON.stringify({ method: "password", altcha: "payload", traits: { email: "a@example.com", altcha: "kept" } })),
    );
    expect(JSON.parse(text(json?.body ?? new Uint8Array()))).toEqual({
      method: "password",
      traits: { email: "a@example.com", altcha: "kept" },
    });

    const form = await withoutCaptchaField(
      "application/x-www-form-urlencoded",
      bytes("csrf_token=t&altcha=p%3D&method=password&altcha=again"),
    );
    expect(text(form?.body ?? new Uint8Array())).toBe("csrf_token=t&method=password");

    const multipart = new FormData();
    multipart.set("method", "password");
    multipart.set("altcha", "payload");
    const encoded = new Response(multipart);
    const stripped = await withoutCaptchaField(encoded.headers.get("content-type"), new Uint8Array(await encoded.arrayBuffer()));
    const decoded = await new Response(stripped?.body, { headers: { "content-type": stripped?.contentType ?? "" } }).formData();
    expect([...decoded.keys()]).toEqual(["method"]);
  });

  it("cuts the field out of the bytes as sent, so Kratos reads every other value the edge priced", async () => {
    // JSON.stringify would round 12345678901234567890 (the identifier the edge keyed) to 12345678901234567000.
    const json = await withoutCaptchaField(
      "application/json",
      bytes('{ "identifier" : 12345678901234567890, "alt\\u0063ha": "p", "password":"x","altcha":"q" }'),
    );
    expect(text(json?.body ?? new Uint8Array())).toBe('{"identifier":12345678901234567890,"password":"x"}');
    // URLSearchParams would turn `email=decoy;` (a pair Go's ParseQuery drops) into `email=decoy%3B` (one it reads).
    const form = await withoutCaptchaField(
      "application/x-www-form-urlencoded",
      new Uint8Array(Buffer.from("email=decoy;&email=victim%40example.com&alt%63ha=p&x=\xe9+", "latin1")),
    );
    expect(Buffer.from(form?.body ?? new Uint8Array()).toString("latin1")).toBe("email=decoy;&email=victim%40example.com&x=\xe9+");
  });

  it("leaves a body without the field as it is", async () => {
    expect(await withoutCaptchaField("application/json", bytes('{"method":"password"}'))).toBeUndefined();
    expect(await withoutCaptchaField("application/x-www-form-urlencoded", bytes("method=password"))).toBeUndefined();
    expect(await withoutCaptchaField("application/json", bytes("not json"))).toBeUndefined();
  });

  it("reads the refusal cookie for its own flow only", () => {
    expect(captchaRefusedFor("0b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10", "0b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10")).toBe(true);
    expect(captchaRefusedFor("0b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10", "11111111-3f6c-4f2f-9d0a-5d4c1e9a7b10")).toBe(false);
    expect(captchaRefusedFor(undefined, "0b0a56b0-3f6c-4f2f-9d0a-5d4c1e9a7b10")).toBe(false);
  });
});

describe("which submissions need a solved CAPTCHA", () => {
  const on: CaptchaPolicy = { registration: true, recovery: true, loginAfterFailures: 3, difficulty: 1_000 };
  const fields = (entries: Record<string, string>) => fieldsFromForm(Object.entries(entries));
  const failures = (n: number) => () => Promise.resolve(n);

  it("asks on every sign-up step, on a recovery mail (not its code), on a password guess at N failures", async () => {
    expect(await submissionNeedsCaptcha("registration", fields({ method: "code", code: "123456" }), on, failures(0))).toBe(true);
    expect(await submissionNeedsCaptcha("recovery", fields({ method: "code", email: "a@example.com" }), on, failures(0))).toBe(true);
    expect(await submissionNeedsCaptcha("recovery", fields({ method: "code", code: "123456" }), on, failures(0))).toBe(false);
    const guess = fields({ method: "password", identifier: "a@example.com", password: "x" });
    expect(await submissionNeedsCaptcha("login", guess, on, failures(2))).toBe(false);
    expect(await submissionNeedsCaptcha("login", guess, on, failures(3))).toBe(true);
    expect(await submissionNeedsCaptcha("login", fields({ method: "totp", totp_code: "123456" }), on, failures(9))).toBe(false);
    expect(await submissionNeedsCaptcha("verification", fields({ method: "code", email: "a@example.com" }), on, failures(9))).toBe(false);
  });

  it("asks on any recovery submission that has Kratos send a mail, whichever field names the address", async () => {
    // code/strategy_recovery.go recoveryV2HandleStateAwaitingAddress sends to `recovery_address`; the edge's charges say so.
    const v2 = fields({ method: "code", recovery_address: "a@example.com" });
    const mail = [{ type: "mail" as const, addresses: ["a@example.com"] }];
    expect(await submissionNeedsCaptcha("recovery", v2, on, failures(0), mail)).toBe(true);
    expect(await submissionNeedsCaptcha("recovery", v2, on, failures(0), [])).toBe(false);
    expect(await submissionNeedsCaptcha("recovery", v2, { ...on, recovery: false }, failures(0), mail)).toBe(false);
  });

  it("never asks with the defaults, and never reads the counters then", async () => {
    const unread = () => Promise.reject(new Error("counters read"));
    const guess = fields({ method: "password", identifier: "a@example.com", password: "x" });
    expect(await submissionNeedsCaptcha("login", guess, DEFAULT_CAPTCHA_POLICY, unread)).toBe(false);
    expect(await submissionNeedsCaptcha("registration", guess, DEFAULT_CAPTCHA_POLICY, unread)).toBe(false);
    expect(await flowShowsCaptcha("login", DEFAULT_CAPTCHA_POLICY, unread)).toBe(false);
    expect(await flowShowsCaptcha("recovery", DEFAULT_CAPTCHA_POLICY, unread)).toBe(false);
  });
});
