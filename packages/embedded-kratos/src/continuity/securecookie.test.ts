import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { gobDecodeStringMap, gobEncodeStringMap } from "./gob";
import { decodeSecureCookie, encodeSecureCookie, sessionSecrets } from "./securecookie";

/**
 * The continuity cookie's encoding (continuity/manager_cookie.go through
 * x.SessionPersistValues and driver/registry_default.go
 * ContinuityCookieManager: gorilla/sessions CookieStore → gorilla/securecookie
 * Encode/Decode with the GobEncoder).
 */

// A gorilla/sessions cookie value from a Go server (map[interface{}]interface{}{"authuser": "reese"}), gob as encoding/gob writes it.
const GO_GOB = "Dv-BBAEC_4IAARABEAAAJ_-CAAEGc3RyaW5nDAoACGF1dGh1c2VyBnN0cmluZwwHAAVyZWVzZQ==";

describe("gob (encoding/gob as securecookie's GobEncoder uses it for session values)", () => {
  it("writes the bytes Go writes for a map of strings, and reads them back", () => {
    expect(gobEncodeStringMap(new Map([["authuser", "reese"]])).equals(Buffer.from(GO_GOB, "base64url"))).toBe(true);
    expect(gobDecodeStringMap(Buffer.from(GO_GOB, "base64url"))).toEqual(new Map([["authuser", "reese"]]));
  });

  it("refuses truncated or foreign gob", () => {
    const bytes = Buffer.from(GO_GOB, "base64url");
    expect(gobDecodeStringMap(bytes.subarray(0, bytes.length - 3))).toBeUndefined();
    expect(gobDecodeStringMap(Buffer.from("not gob at all"))).toBeUndefined();
  });
});

describe("securecookie (SecureCookie.Encode / Decode, CodecsFromPairs)", () => {
  const secret = "ciam-dev-cookie-secret-NOT-FOR-PRODUCTION";
  const values = new Map([["ory_kratos_oidc_auth_code_session", "4f8e6a8e-52c5-4b1e-9d1c-6a0f0c2f9e11"]]);

  it("signs base64(date|base64(gob)|hmac-sha256(name|date|value)) with the first secret as hash key", () => {
    const now = new Date("2026-12-04T05:00:00Z");
    const cookie = encodeSecureCookie("ory_kratos_continuity", values, [secret], now);
    const raw = Buffer.from(cookie, "base64url");
    const [date, value] = raw.toString("latin1").split("|");
    expect(date).toBe(String(now.getTime() / 1000));
    expect(gobDecodeStringMap(Buffer.from(String(value), "base64url"))).toEqual(values);
    const mac = createHmac("sha256", secret).update(`ory_kratos_continuity|${date}|${value}`).digest();
    expect(raw.subarray(raw.length - 32).equals(mac)).toBe(true);
    // Go's base64.URLEncoding pads.
    expect(cookie.length % 4).toBe(0);
    expect(decodeSecureCookie("ory_kratos_continuity", cookie, [secret], now)).toEqual(values);
  });

  it("encrypts with AES-CTR when a second secret (the block key) is set, and decodes with any pair", () => {
    const block = "0123456789abcdef0123456789abcdef";
    const cookie = encodeSecureCookie("n", values, [secret, block]);
    const value = Buffer.from(cookie, "base64url").toString("latin1").split("|")[1];
    expect(gobDecodeStringMap(Buffer.from(String(value), "base64url"))).toBeUndefined();
    expect(decodeSecureCookie("n", cookie, ["another-secret-of-length", "fedcba9876543210", secret, block])).toEqual(values);
    // A block key of no AES length fails the codec (securecookie.New's BlockFunc error).
    expect(() => encodeSecureCookie("n", values, [secret, "seventeen-bytes!!"])).toThrow(/invalid key size 17/);
  });

  it("refuses another name, a changed value, another key and a value older than the store's 30 days", () => {
    const now = new Date();
    const cookie = encodeSecureCookie("ory_kratos_continuity", values, [secret], now);
    expect(() => decodeSecureCookie("other", cookie, [secret])).toThrow();
    expect(() => decodeSecureCookie("ory_kratos_continuity", cookie, ["some-other-cookie-secret"])).toThrow();
    const raw = Buffer.from(cookie, "base64url");
    raw[15] = raw[15] === 0x41 ? 0x42 : 0x41;
    expect(() => decodeSecureCookie("ory_kratos_continuity", raw.toString("base64url"), [secret])).toThrow();
    const later = new Date(now.getTime() + 31 * 86400_000);
    expect(() => decodeSecureCookie("ory_kratos_continuity", cookie, [secret], later)).toThrow(/expired/);
  });

  it("keys with secrets.cookie, else secrets.default (SecretsSession)", () => {
    expect(sessionSecrets({ cookie: ["c".repeat(16)], default: ["d".repeat(16)] })).toEqual(["c".repeat(16)]);
    expect(sessionSecrets({ default: ["d".repeat(16)] })).toEqual(["d".repeat(16)]);
    expect(sessionSecrets({})).toHaveLength(1);
  });
});
