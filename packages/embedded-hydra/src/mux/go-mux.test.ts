import { describe, expect, it } from "vitest";
import { trimTrailingSlash, withAdminPrefix } from "./go-mux";
import { negotiate, parseAccept } from "./not-found-page";

describe("the path steps in front of Hydra's ServeMux", () => {
  it("trims one trailing slash (oryx httprouterx/router.go TrimTrailingSlashNegroni)", () => {
    expect(trimTrailingSlash("/admin/clients/")).toBe("/admin/clients");
    expect(trimTrailingSlash("/admin/clients//")).toBe("/admin/clients/");
    expect(trimTrailingSlash("/")).toBe("");
  });

  it("joins /admin in front of other paths as path.Join does (AddAdminPrefixIfNotPresentNegroni)", () => {
    expect(withAdminPrefix("")).toBe("/admin");
    expect(withAdminPrefix("/clients")).toBe("/admin/clients");
    // path.Join cleans: a doubled slash collapses, dot segments resolve, and the result never escapes /admin's root.
    expect(withAdminPrefix("//admin/clients")).toBe("/admin/admin/clients");
    expect(withAdminPrefix("/x/../../clients")).toBe("/clients");
    // Only a path already starting with /admin is left alone, /administrator included.
    expect(withAdminPrefix("/administrator")).toBe("/administrator");
    expect(withAdminPrefix("/admin/./clients")).toBe("/admin/./clients");
  });
});

describe("serverx DefaultNotFoundHandler's content negotiation (herodot httputil NegotiateContentType)", () => {
  it("reads Accept as header.ParseAccept does", () => {
    expect(parseAccept(["text/plain;q=0.5, application/json"])).toEqual([
      { value: "text/plain", q: 0.5 },
      { value: "application/json", q: 1 },
    ]);
    // A parameter other than q ends the line; a bad quality too.
    expect(parseAccept(["text/plain;level=1, application/json"])).toEqual([]);
    expect(parseAccept(["text/plain;q=2, application/json"])).toEqual([]);
    // Each header line on its own.
    expect(parseAccept(["text/plain;x=1", "application/json"])).toEqual([{ value: "application/json", q: 1 }]);
  });

  it("picks the highest q, then the most specific range, then the earlier offer; HTML by default", () => {
    expect(negotiate([])).toBe("text/html");
    expect(negotiate(["application/json"])).toBe("application/json");
    expect(negotiate(["text/plain"])).toBe("text/plain");
    expect(negotiate(["text/*"])).toBe("text/html");
    expect(negotiate(["*/*"])).toBe("text/html");
    expect(negotiate(["application/json, text/plain;q=0.9"])).toBe("application/json");
    expect(negotiate(["text/plain;q=0.2, */*;q=0.2"])).toBe("text/plain");
    expect(negotiate(["image/png"])).toBe("text/html");
    expect(negotiate(["text/html;q=0, application/json;q=0"])).toBe("text/html");
  });
});
