import { describe, expect, it } from "vitest";
import { goParsePostForm, goParseQueryChecked } from "./go-form";

/**
 * net/url url.go parseQuery as Kratos v26.2.0 runs it (go.mod `go 1.26`:
 * built with Go ≥ 1.26, which has the urlmaxqueryparams GODEBUG, default
 * 10000): urlParamsWithinMax(strings.Count(query, "&") + 1) is checked
 * before any pair is parsed, and a query over the limit parses to nothing
 * with `number of URL query parameters exceeded limit`. The count is of
 * `&`, so empty pairs count too. r.URL.Query() (the callback), ParseForm
 * (redirectToGET) and x/oauth2's url.ParseQuery of a form-encoded token
 * answer all go through it.
 */
describe("url.ParseQuery's parameter limit (net/url url.go parseQuery, urlParamsWithinMax)", () => {
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join("&");

  it("parses 10000 parameters", () => {
    const parsed = goParseQueryChecked(pairs(10_000));
    expect(parsed.error).toBeUndefined();
    expect(parsed.values.size).toBe(10_000);
  });

  it("refuses 10001 parameters whole: no pair is kept", () => {
    const parsed = goParseQueryChecked(pairs(10_001));
    expect(parsed.error).toBe("number of URL query parameters exceeded limit");
    expect(parsed.values.size).toBe(0);
  });

  it("counts the `&` separators, empty pairs included", () => {
    const parsed = goParseQueryChecked(`state=s${"&".repeat(10_000)}`);
    expect(parsed.error).toBe("number of URL query parameters exceeded limit");
    expect(parsed.values.size).toBe(0);
    expect(goParseQueryChecked(`state=s${"&".repeat(9_999)}`).values.get("state")).toEqual(["s"]);
  });

  it("applies to the body and the query of Request.ParseForm (request.go parsePostForm, ParseForm)", () => {
    const body = goParsePostForm("application/x-www-form-urlencoded", Buffer.from(pairs(10_001)), "state=s");
    expect(body.error).toBe("number of URL query parameters exceeded limit");
    expect([...body.values]).toEqual([["state", ["s"]]]);
    const query = goParsePostForm("application/x-www-form-urlencoded", Buffer.from("code=c"), pairs(10_001));
    expect(query.error).toBe("number of URL query parameters exceeded limit");
    expect([...query.values]).toEqual([["code", ["c"]]]);
  });
});
