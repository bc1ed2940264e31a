import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GO_MULTIPART_MAX_PARTS, goMultipartFormValues, goReadMultipartForm } from "./multipart";
import { MULTIPART_GOLDEN_CASES } from "./multipart.golden-cases";

/**
 * mime/multipart Reader.ReadForm (formdata.go readForm, multipart.go
 * NextPart and partReader, net/textproto readMIMEHeader,
 * mime/quotedprintable) against what Go printed for each body
 * (multipart.golden.json, from multipart.golden.mjs).
 */

type GoldenValue = string | { length: number; sha256: string };
type GoldenAnswer = { name: string; values: [string, GoldenValue][]; files: number } | { name: string; error: string };

const golden = JSON.parse(readFileSync(path.join(import.meta.dirname, "multipart.golden.json"), "utf8")) as {
  go: string;
  cases: GoldenAnswer[];
};
const answers = new Map(golden.cases.map((answer) => [answer.name, answer]));

/** A value as the golden keeps it: up to 64 bytes as they are, else its length and SHA-256. */
function goldenValue(value: string): GoldenValue {
  const bytes = Buffer.from(value, "latin1");
  return bytes.length <= 64 ? value : { length: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

const BOUNDARY = "xYzZy";
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const field = (name: string, value: string, headers = "") => `Content-Disposition: form-data; name="${name}"\r\n${headers}\r\n${value}`;
const multipart = (parts: string[]) =>
  Buffer.from(`${parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join("")}--${BOUNDARY}--\r\n`, "latin1");

describe("goReadMultipartForm (mime/multipart Reader.ReadForm) against Go", () => {
  it("has an answer from Go for every case", () => {
    expect(golden.cases.map((answer) => answer.name)).toEqual(MULTIPART_GOLDEN_CASES.map(([name]) => name));
  });

  it.each(MULTIPART_GOLDEN_CASES.map((testCase) => [testCase[0], testCase] as const))("%s", (name, [, boundary, body, maxMemory]) => {
    const form = goReadMultipartForm(Buffer.from(body, "latin1"), boundary, maxMemory);
    const got = form.ok
      ? {
          name,
          values: [...form.values.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .flatMap(([key, list]) => list.map((value): [string, GoldenValue] => [key, goldenValue(value)])),
          files: form.files,
        }
      : { name, error: form.error };
    expect(got).toEqual(answers.get(name));
  });
});

/**
 * Go 1.20 made net/textproto's readMIMEHeader refuse a header key that is not
 * a token (an empty one included; Go 1.19 skipped it) and a value byte that
 * is a control other than HTAB — "malformed MIME header line" (reader.go
 * readMIMEHeader, canonicalMIMEHeaderKey's ok, validHeaderValueByte; see
 * golang/go#60674 and #68590 for the change as users met it). The golden's
 * Go 1.19 keeps those parts; Kratos and Hydra v26.2.0 (Go 1.26) refuse the form.
 */
describe("part headers as Go 1.20 and later read them", () => {
  it.each([
    ["a NUL in a value", "X: a\x00b\r\n"],
    ["an empty key", ": b\r\n"],
    ["a key with a non-token byte", "X@Y: b\r\n"],
  ])("refuses the form for %s", (_, header) => {
    const form = goReadMultipartForm(multipart([field("a", "x", header)]), BOUNDARY);
    expect(form).toEqual({ ok: false, error: `malformed MIME header line: ${header.slice(0, -2)}` });
  });

  it("keeps a key holding a space uncanonicalized (not Content-Disposition), and obs-text in values", () => {
    const form = goReadMultipartForm(
      multipart([`Content-Disposition : form-data; name="a"\r\n\r\nx`, field("b", "y", "X: \xe9\t\r\n")]),
      BOUNDARY,
    );
    expect(form.ok && [...form.values]).toEqual([["b", ["y"]]]);
  });
});

describe("goMultipartFormValues (Request.ParseMultipartForm's r.MultipartForm.Value)", () => {
  it("keeps each field's values in order, as byte strings, and leaves files out", async () => {
    const body = Buffer.from(
      multipart([
        field("csrf_token", "first"),
        `Content-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body`,
        field("csrf_token", "second"),
      ]).toString("latin1") + "",
      "latin1",
    );
    const values = await goMultipartFormValues(Buffer.concat([body.subarray(0, 0), body]), CONTENT_TYPE);
    expect(values && [...values]).toEqual([["csrf_token", ["first", "second"]]]);
    const utf8 = Buffer.from(`--${BOUNDARY}\r\n${field("name", "é")}\r\n--${BOUNDARY}--\r\n`, "utf8");
    expect((await goMultipartFormValues(utf8, CONTENT_TYPE))?.get("name")).toEqual(["\xc3\xa9"]);
  });

  it("is undefined for a body that does not parse and past the part cap (ErrMessageTooLarge), as ReadForm then keeps nothing", async () => {
    expect(await goMultipartFormValues(Buffer.from("not multipart"), CONTENT_TYPE)).toBeUndefined();
    const within = multipart(Array.from({ length: GO_MULTIPART_MAX_PARTS }, (_, i) => field(`f${i}`, "v")));
    expect((await goMultipartFormValues(within, CONTENT_TYPE))?.size).toBe(GO_MULTIPART_MAX_PARTS);
    const past = multipart(Array.from({ length: GO_MULTIPART_MAX_PARTS + 1 }, (_, i) => field(`f${i}`, "v")));
    expect(await goMultipartFormValues(past, CONTENT_TYPE)).toBeUndefined();
  });

  it("stops reading a body of many tiny parts at the cap", async () => {
    // 79k tiny parts in under 5 MiB: the reader stops at part 1001 instead of splitting them all.
    const tiny = multipart(Array.from({ length: 79_000 }, () => field("a", "")));
    expect(tiny.length).toBeLessThan(5 * 1024 * 1024);
    const started = performance.now();
    expect(await goMultipartFormValues(tiny, CONTENT_TYPE)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reads with the maxMemory the caller's ParseMultipartForm passes (fosite: 1 MiB + 10 MB for values)", async () => {
    const body = multipart([field("a", "v".repeat(6 << 20)), field("b", "v".repeat(6 << 20))]);
    expect(await goMultipartFormValues(body, CONTENT_TYPE, 1 << 20)).toBeUndefined();
    expect((await goMultipartFormValues(body, CONTENT_TYPE))?.size).toBe(2);
  });
});
