import { describe, expect, it } from "vitest";
import { acceptsJson, isJsonRequest } from "./kratos-request";
import { negotiateContentType } from "./negotiate";

// golang/gddo httputil.NegotiateContentType + header.ParseAccept (the revision Kratos v26.2's go.mod pins),
// as Kratos' x.IsJSONRequest (x/isjsonrequest.go) and x.AcceptsJSON (x/http.go) call it.
describe("Kratos x.IsJSONRequest (x/isjsonrequest.go) over gddo's NegotiateContentType", () => {
  const byAccept = (...lines: string[]) => isJsonRequest(lines, null);

  it("picks JSON only when it beats every offer Kratos lists before it", () => {
    expect(byAccept("application/json")).toBe(true);
    expect(byAccept()).toBe(false);
    expect(byAccept("*/*")).toBe(false);
    expect(byAccept("text/html;q=0.9, application/json")).toBe(true);
    expect(byAccept("application/json;q=0.5, text/html;q=0.4")).toBe(true);
    // A wildcard is weaker than an exact match of the same quality.
    expect(byAccept("application/json, */*")).toBe(true);
    expect(byAccept("application/*")).toBe(true);
    expect(byAccept("text/*")).toBe(false);
  });

  it("gives a tie to the earlier offer (text/html), whatever the order of the Accept entries", () => {
    expect(byAccept("application/json, text/html")).toBe(false);
    expect(byAccept("text/html, application/json")).toBe(false);
    expect(byAccept("application/json;q=0.8, text/html;q=0.8")).toBe(false);
    expect(acceptsJson(["application/json, text/html"])).toBe(false);
  });

  it("parses Accept as gddo does: case-sensitive types, q=0 ignored, a non-q parameter ends the line", () => {
    expect(byAccept("Application/JSON")).toBe(false);
    expect(byAccept("application/json;q=0")).toBe(false);
    expect(byAccept("application/json; charset=utf-8")).toBe(false);
    expect(byAccept("text/html; level=1, application/json")).toBe(false);
    // Each header line is parsed on its own.
    expect(byAccept("text/html; level=1", "application/json")).toBe(true);
  });

  it("counts a Content-Type only when it is exactly `application/json` (r.Header.Get compared as a string)", () => {
    expect(isJsonRequest([], "application/json")).toBe(true);
    expect(isJsonRequest([], "application/json; charset=utf-8")).toBe(false);
    expect(isJsonRequest([], "Application/JSON")).toBe(false);
    expect(isJsonRequest([], "application/x-www-form-urlencoded")).toBe(false);
    expect(isJsonRequest(["text/html"], "application/json")).toBe(true);
  });
});

describe("gddo NegotiateContentType", () => {
  it("tries the offers in order and falls back to the default", () => {
    expect(negotiateContentType(["image/png"], ["text/html", "application/json"], "text/html")).toBe("text/html");
    expect(negotiateContentType(["application/json;q=0.2, */*;q=0.1"], ["text/html", "application/json"], "text/html")).toBe(
      "application/json",
    );
  });
});
