import { describe, expect, it } from "vitest";
import { isJsonRequest } from "./request-body";

const request = (headers: Record<string, string>) => isJsonRequest(new Headers(headers));

// The edge answers its refusals as Kratos would answer the same client: Kratos' x.IsJSONRequest
// (x/isjsonrequest.go) over golang/gddo's httputil.NegotiateContentType, the embedded Kratos' rule too.
describe("isJsonRequest decides 'JSON client' exactly as Kratos' x.IsJSONRequest", () => {
  it("gives an Accept tie between application/json and text/html to the browser, in either order", () => {
    expect(request({ accept: "application/json, text/html" })).toBe(false);
    expect(request({ accept: "text/html, application/json" })).toBe(false);
    expect(request({ accept: "application/json;q=0.8, text/html;q=0.8" })).toBe(false);
  });

  it("takes JSON that outranks HTML, or JSON against a wildcard", () => {
    expect(request({ accept: "application/json" })).toBe(true);
    expect(request({ accept: "text/html;q=0.9, application/json" })).toBe(true);
    expect(request({ accept: "application/json, */*" })).toBe(true);
    expect(request({ accept: "application/*" })).toBe(true);
  });

  it("stops reading an Accept line at a parameter other than q, as gddo does", () => {
    expect(request({ accept: "text/html; level=1, application/json" })).toBe(false);
    expect(request({ accept: "application/json; charset=utf-8" })).toBe(false);
  });

  it("counts a Content-Type only when it is exactly `application/json`, not `application/json; charset=utf-8`", () => {
    expect(request({ "content-type": "application/json" })).toBe(true);
    expect(request({ "content-type": "application/json; charset=utf-8" })).toBe(false);
    expect(request({ "content-type": "Application/JSON" })).toBe(false);
    expect(request({ "content-type": "application/x-www-form-urlencoded", accept: "text/html" })).toBe(false);
    expect(request({})).toBe(false);
  });
});
