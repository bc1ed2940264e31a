import { describe, expect, it } from "vitest";
import { goMultipartForm, goParseForm, goParseMediaType, goReadsFormBody } from "./form";

/**
 * Answers printed by Go's own mime.ParseMediaType (mediatype.go) and
 * net/http Request.ParseForm / ParseMultipartForm (request.go) for the
 * same inputs.
 */
describe("mime.ParseMediaType (mediatype.go)", () => {
  it("lower-cases the type and reads parameters, a trailing `;` allowed", () => {
    const parsed = goParseMediaType("Application/X-WWW-Form-Urlencoded ; charset=utf-8;");
    expect([parsed.mediaType, [...parsed.params], parsed.error]).toEqual([
      "application/x-www-form-urlencoded",
      [["charset", "utf-8"]],
      undefined,
    ]);
    expect(goParseMediaType('multipart/form-data; boundary="x\\"y"').params.get("boundary")).toBe('x"y');
  });

  it("refuses a bad type with mime's words", () => {
    const refusals = [
      ["", "mime: no media type"],
      ["/x", "mime: no media type"],
      ["a b/c", "mime: expected slash after first token"],
      ["text/", "mime: expected token after slash"],
      ["text/plain extra", "mime: unexpected content after media subtype"],
      ["text/plain; a=1; A=2", "mime: duplicate parameter name"],
    ];
    for (const [value, error] of refusals) expect(goParseMediaType(value ?? "")).toMatchObject({ mediaType: "", error });
  });

  it("keeps the type when only a parameter is bad (ErrInvalidMediaParameter)", () => {
    for (const value of ["application/x-www-form-urlencoded; charset", 'text/plain; q="a\rb"'])
      expect(goParseMediaType(value)).toMatchObject({ mediaType: value.split(";")[0], error: "mime: invalid media parameter" });
  });
});

const text = (values: Map<string, string[]>) => Object.fromEntries(values);

describe("Request.ParseForm (request.go ParseForm, parsePostForm)", () => {
  it("reads a urlencoded body ahead of the query, even under a Content-Type whose parameter mime refuses", () => {
    const parsed = goParseForm("POST", "application/x-www-form-urlencoded; charset", Buffer.from("a=1"), "b=2");
    expect([text(parsed.postForm), text(parsed.form), parsed.error]).toEqual([
      { a: ["1"] },
      { a: ["1"], b: ["2"] },
      "mime: invalid media parameter",
    ]);
    expect(goReadsFormBody("POST", "application/x-www-form-urlencoded; charset")).toBe(true);
  });

  it("never reads a JSON body, nor one without a Content-Type, nor the body of a GET", () => {
    expect(goReadsFormBody("POST", "application/json")).toBe(false);
    expect(goReadsFormBody("POST", undefined)).toBe(false);
    expect(goReadsFormBody("GET", "application/x-www-form-urlencoded")).toBe(false);
    const json = goParseForm("POST", "application/json", Buffer.from('{"a":1}'), "b=2");
    expect([text(json.postForm), text(json.form), json.error]).toEqual([{}, { b: ["2"] }, undefined]);
  });

  it("keeps the pairs that parse and the first error, the body's before the query's", () => {
    const parsed = goParseForm("POST", "application/x-www-form-urlencoded", Buffer.from("a=%zz&c=1&d;e"), "b=2&c=3&x=%4");
    expect([text(parsed.postForm), text(parsed.form), parsed.error]).toEqual([
      { c: ["1"] },
      { c: ["1", "3"], b: ["2"] },
      "invalid semicolon separator in query",
    ]);
    expect(goParseForm("POST", undefined, undefined, "b=%zz").error).toBe('invalid URL escape "%zz"');
  });

  it("reports `;` over an earlier escape error, and the query's error when the body has none", () => {
    const parsed = goParseForm("POST", "application/x-www-form-urlencoded", Buffer.from("a=%zz&b=2&c=%4"), "");
    expect([text(parsed.postForm), parsed.error]).toEqual([{ b: ["2"] }, 'invalid URL escape "%zz"']);
    expect(goParseForm("POST", undefined, undefined, "a=%zz&b;c").error).toBe("invalid semicolon separator in query");
    expect(goParseForm("POST", undefined, undefined, "a=%4").error).toBe('invalid URL escape "%4"');
  });

  it("applies url.ParseQuery's 10,000-parameter cap to the body and to the query alike", () => {
    const pairs = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join("&");
    const body = goParseForm("POST", "application/x-www-form-urlencoded", Buffer.from(pairs(10_001)), "state=s");
    expect([text(body.form), body.error]).toEqual([{ state: ["s"] }, "number of URL query parameters exceeded limit"]);
    const query = goParseForm("POST", "application/x-www-form-urlencoded", Buffer.from("code=c"), pairs(10_001));
    expect([text(query.form), query.error]).toEqual([{ code: ["c"] }, "number of URL query parameters exceeded limit"]);
  });

  it("answers a body over 10 MB with `http: POST too large` and an empty PostForm", () => {
    const parsed = goParseForm("POST", "application/x-www-form-urlencoded", undefined, "b=2");
    expect([text(parsed.postForm), text(parsed.form), parsed.error]).toEqual([{}, { b: ["2"] }, "http: POST too large"]);
  });
});

describe("ParseMultipartForm's multipartReader (request.go)", () => {
  it("parses only multipart/form-data with a boundary; anything else is ErrNotMultipart", () => {
    expect(goMultipartForm("multipart/form-data; boundary=b")).toEqual({ kind: "multipart", boundary: "b" });
    expect(goMultipartForm("multipart/form-data")).toEqual({ kind: "error", error: "no multipart boundary param in Content-Type" });
    for (const type of [undefined, "application/x-www-form-urlencoded", "application/json", "multipart/form-data; b"])
      expect(goMultipartForm(type)).toEqual({ kind: "not-multipart" });
  });
});

describe("mime.ParseMediaType's spaces (strings.TrimSpace, TrimLeftFunc(unicode.IsSpace): UTF-8 runes, the same in Go 1.19 and 1.26)", () => {
  // Answers printed by Go's mime.ParseMediaType; header bytes as Node keeps them, one char per byte.
  const bytes = (text: string) => Buffer.from(text, "utf8").toString("latin1");

  it("trims Unicode spaces around the type and before parameters, as their UTF-8 bytes", () => {
    expect(goParseMediaType(bytes("\u00a0application/json\u0085"))).toEqual({
      mediaType: "application/json",
      params: new Map(),
      error: undefined,
    });
    const spaced = goParseMediaType(bytes("\u3000text/plain;\u2003charset=utf-8\u00a0"));
    expect(spaced).toEqual({ mediaType: "text/plain", params: new Map([["charset", "utf-8"]]), error: undefined });
    expect(goParseMediaType(bytes("text/plain; a=b;\u00a0")).error).toBeUndefined();
  });

  it("takes a lone byte that is not UTF-8 for no space, and folds only ASCII letters", () => {
    expect(goParseMediaType("application/json\xa0")).toEqual({
      mediaType: "",
      params: new Map(),
      error: "mime: unexpected content after media subtype",
    });
    expect(goParseMediaType("text/plain;\xa0charset=x")).toEqual({
      mediaType: "text/plain",
      params: new Map(),
      error: "mime: invalid media parameter",
    });
    expect(goParseMediaType(bytes("TEXT/PL\u00c9")).error).toBe("mime: unexpected content after media subtype");
  });
});
