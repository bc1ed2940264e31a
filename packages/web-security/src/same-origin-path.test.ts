import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./same-origin-path";

describe("sameOriginPath", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(sameOriginPath("/identities?page=2#top")).toBe("/identities?page=2#top");
    expect(sameOriginPath("/login?login_challenge=a%2Fb")).toBe("/login?login_challenge=a%2Fb");
    expect(sameOriginPath("/a/../b")).toBe("/b");
  });

  // The usual open-redirect bypass list: each of these leaves the site in some browser or framework.
  const BYPASSES = [
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/%5Cevil.example/x",
    "/%5cevil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "/%252F%252Fevil.example",
    "/%255Cevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%0d%0a/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " /evil",
    "evil.example",
    "",
    "/%",
    "/%E0%A4%A",
  ];

  it.each(BYPASSES)("refuses %j", (candidate) => {
    expect(sameOriginPath(candidate, "/fallback")).toBe("/fallback");
  });

  it("refuses a missing value", () => {
    expect(sameOriginPath(undefined)).toBe("/");
    expect(sameOriginPath(null, "/login")).toBe("/login");
  });
});
