import { describe, expect, it } from "vitest";
import { checkCsrfCookie, checkCsrfCookies, csrfCookieName, murmur3, serializeCsrfCookie, serializeCsrfCookies } from "./csrf-cookie";

const KEYS = ["first-cookie-secret-0123456789", "older-cookie-secret-0123456789"];
const OPTIONS = { maxAgeSeconds: 1800, sameSite: "Lax" as const, secure: false, keys: KEYS };

/** The `name=value` pair a browser would send back for a Set-Cookie header. */
const sentBack = (setCookie: string) => setCookie.split(";")[0] ?? "";

describe("per-client CSRF cookie names", () => {
  it("hash the client id with MurmurHash3 (x86, 32 bit, seed 0) printed in decimal", () => {
    // Hydra: client/client.go CookieSuffix (strconv.Itoa(int(murmur3.Sum32([]byte(id))))).
    // Attack: none — two clients' pending authorizations in one browser must not share a cookie.
    expect(murmur3("")).toBe(0);
    expect(murmur3("a")).toBe(1009084850);
    expect(murmur3("abc")).toBe(3017643002);
    expect(murmur3("abcd")).toBe(1139631978);
    expect(murmur3("hello")).toBe(613153351);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(776992547);
    expect(csrfCookieName("ory_hydra_login_csrf", "3f6c7e0a-2a5b-4c1e-9d7f-0b1e2c3d4e5f")).toBe("ory_hydra_login_csrf_436782610");
  });
});

describe("CSRF cookie values", () => {
  it("accept the value written, signed with any configured cookie secret, and tell missing, undecodable and foreign values apart", () => {
    // Hydra: consent/csrf.go validateCSRFCookie (its three request_forbidden hints).
    // Attack: login/consent CSRF — a verifier followed in a browser without (or with another) cookie.
    const name = csrfCookieName("login", "client");
    const written = serializeCsrfCookie(name, "csrf-value", OPTIONS);
    expect(checkCsrfCookie(sentBack(written), name, "csrf-value", KEYS)).toEqual({ ok: true });
    const byOlderKey = serializeCsrfCookie(name, "csrf-value", { ...OPTIONS, keys: [KEYS[1] ?? ""] });
    expect(checkCsrfCookie(sentBack(byOlderKey), name, "csrf-value", KEYS)).toEqual({ ok: true });

    expect(checkCsrfCookie(undefined, name, "csrf-value", KEYS)).toEqual({
      ok: false,
      hint: "No CSRF value available in the session cookie.",
    });
    expect(checkCsrfCookie("other=1", name, "csrf-value", KEYS)).toEqual({
      ok: false,
      hint: "No CSRF value available in the session cookie.",
    });
    expect(checkCsrfCookie(`${name}=csrf-value`, name, "csrf-value", KEYS)).toEqual({
      ok: false,
      hint: "CSRF session cookie could not be decoded.",
    });
    expect(checkCsrfCookie(`${name}=csrf-value.forged`, name, "csrf-value", KEYS)).toEqual({
      ok: false,
      hint: "CSRF session cookie could not be decoded.",
    });
    expect(checkCsrfCookie(sentBack(written), name, "another-flow", KEYS)).toEqual({
      ok: false,
      hint: "The CSRF value from the token does not match the CSRF value from the data store.",
    });
    // A value signed for one cookie name does not pass as another client's cookie.
    const otherName = csrfCookieName("login", "other-client");
    expect(checkCsrfCookie(sentBack(written).replace(name, otherName), otherName, "csrf-value", KEYS)).toMatchObject({ ok: false });
  });

  it("carry Hydra's attributes: HttpOnly, Path=/, Max-Age, SameSite and Secure from the configuration", () => {
    // Hydra: consent/csrf.go setCSRFCookie.
    // Attack: none — attributes that keep the cookie out of scripts and cross-site requests.
    const header = serializeCsrfCookie("n", "v", { ...OPTIONS, sameSite: "Strict", secure: true });
    expect(header).toMatch(/^n=v\.[A-Za-z0-9_-]+; Path=\/; Max-Age=1800; Expires=[^;]+ GMT; HttpOnly; SameSite=Strict; Secure$/);
    expect(serializeCsrfCookie("n", "v", { ...OPTIONS, keys: [] })).toMatch(
      /^n=v; Path=\/; Max-Age=1800; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    );
  });
});

describe("SameSite legacy workaround (consent/csrf.go setCSRFCookie, getCSRFCookie, legacyCSRFCookieName)", () => {
  const NONE = { ...OPTIONS, sameSite: "None" as const, secure: true };
  const name = csrfCookieName("consent", "client");

  it("writes a `_legacy` twin without SameSite only with the workaround", () => {
    expect(serializeCsrfCookies(name, "v", NONE)).toHaveLength(1);
    const [cookie, twin] = serializeCsrfCookies(name, "v", { ...NONE, legacyWorkaround: true });
    expect(cookie).toContain("SameSite=None");
    expect(twin?.startsWith(`${name}_legacy=`)).toBe(true);
    expect(twin).not.toContain("SameSite");
    expect(twin).toContain("Secure");
  });

  it("falls back to the twin when the cookie is missing or does not decode, not when it holds another value", () => {
    const options = { ...NONE, legacyWorkaround: true };
    const [cookie = "", twin = ""] = serializeCsrfCookies(name, "v", options);
    expect(checkCsrfCookies(sentBack(twin), name, "v", options)).toEqual({ ok: true });
    expect(checkCsrfCookies(`${name}=garbage; ${sentBack(twin)}`, name, "v", options)).toEqual({ ok: true });
    expect(checkCsrfCookies(sentBack(twin), name, "v", NONE)).toEqual({
      ok: false,
      hint: "No CSRF value available in the session cookie.",
    });
    const other = serializeCsrfCookie(name, "w", options);
    expect(checkCsrfCookies(`${sentBack(other)}; ${sentBack(twin)}`, name, "v", options).ok).toBe(false);
    expect(checkCsrfCookies(sentBack(cookie), name, "v", options)).toEqual({ ok: true });
  });
});
