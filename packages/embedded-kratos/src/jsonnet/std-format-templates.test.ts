import { describe, expect, it } from "vitest";
import { goJsonnetCases, runAsGoJsonnet } from "../testing/go-jsonnet-goldens";

/**
 * std.format with a template that is not a string: std.jsonnet's `format` (parse_codes) reads any template
 * std.length measures with `str[i]` — an array element by element, each compared with one character and joined with
 * `cur + c` — so arrays format, objects and functions of no length are empty templates and longer ones fail to index.
 * The fixture holds what a Go build of go-jsonnet printed for each program (testdata/go-jsonnet-std-format-templates.json
 * names the commits).
 */

const cases = goJsonnetCases("go-jsonnet-std-format-templates.json");

/**
 * An array template that fails inside parse_codes: the trace here stops at format's parse_codes call (README, Known
 * differences), so the message and the frames from that call on are compared.
 */
const insideParseCodes = (c: { source: string; error?: string }) =>
  c.source.startsWith("std.format([") && (c.error ?? "").includes("\t<std>:494:19-46\t");

describe("std.format with an array, object or function template, as a go-jsonnet build answers it", () => {
  const whole = cases.filter((c) => !insideParseCodes(c));
  it.each(whole.map((c) => [c.source, c] as const))("%s", (source, expected) => {
    expect(runAsGoJsonnet(source)).toEqual(expected);
  });

  const parseFailures = cases.filter((c) => insideParseCodes(c));
  it.each(parseFailures.map((c) => [c.source, c] as const))(
    "%s (message and the trace from format's parse_codes call)",
    (source, expected) => {
      const firstLine = (text: string | undefined) => text?.split("\n")[0];
      const fromCodes = (text: string | undefined) => text?.slice(text.indexOf("\t<std>:494:19-46"));
      const got = runAsGoJsonnet(source);
      expect(firstLine(got.error)).toBe(firstLine(expected.error));
      expect(fromCodes(got.error)).toBe(fromCodes(expected.error));
    },
  );
});
