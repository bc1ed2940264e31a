import { describe, expect, it } from "vitest";
import { goParsePostForm } from "./go-form";

/**
 * net/http request.go parsePostForm and ParseForm as Kratos v26.2.0 runs
 * them (built with Go 1.26): both the body and the query go through
 * url.ParseQuery, with its 10000-parameter cap (server-kit go-url's
 * query.test.ts holds ParseQuery's own tests).
 */
describe("Request.ParseForm (net/http request.go parsePostForm, ParseForm)", () => {
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join("&");

  it("applies to the body and the query of Request.ParseForm (request.go parsePostForm, ParseForm)", () => {
    const body = goParsePostForm("application/x-www-form-urlencoded", Buffer.from(pairs(10_001)), "state=s");
    expect(body.error).toBe("number of URL query parameters exceeded limit");
    expect([...body.values]).toEqual([["state", ["s"]]]);
    const query = goParsePostForm("application/x-www-form-urlencoded", Buffer.from("code=c"), pairs(10_001));
    expect(query.error).toBe("number of URL query parameters exceeded limit");
    expect([...query.values]).toEqual([["code", ["c"]]]);
  });
});
