import { describe, expect, it } from "vitest";
import { clearCookie, cookieNames, parseCookies, serializeCookie } from "./cookies";

describe("cookies", () => {
  it("parses a Cookie header, keeping the first value of a repeated name", () => {
    const cookies = parseCookies("a=1; demo_session=abc-DEF_0; broken; =x; demo_session=later");
    expect(cookies.get("a")).toBe("1");
    expect(cookies.get("demo_session")).toBe("abc-DEF_0");
    expect(cookies.size).toBe(2);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it("writes host-only, HttpOnly, SameSite=Lax cookies, Secure over https", () => {
    expect(serializeCookie("demo_session", "abc", { maxAgeSeconds: 60, secure: false })).toBe(
      "demo_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
    );
    const secure = serializeCookie("__Host-demo_session", "abc", { maxAgeSeconds: 60, secure: true });
    expect(secure).toMatch(/; Secure$/);
    expect(secure).not.toMatch(/Domain=/i);
    expect(clearCookie("demo_session", false)).toContain("Max-Age=0");
  });

  it("uses the __Host- prefix only over https", () => {
    expect(cookieNames(true).session).toBe("__Host-demo_session");
    expect(cookieNames(false)).toEqual({ session: "demo_session", authorization: "demo_authorization" });
  });

  it("refuses values that could inject attributes", () => {
    expect(() => serializeCookie("demo_session", "x; Domain=localhost", { maxAgeSeconds: 1, secure: false })).toThrow(
      /unexpected characters/,
    );
  });
});
