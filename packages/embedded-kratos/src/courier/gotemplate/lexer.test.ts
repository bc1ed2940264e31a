import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

const parseError = (text: string): string | undefined => {
  try {
    compileTemplate(text, "t");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/**
 * text/template/parse lex.go's keyword table and item.String(), as Go 1.19
 * prints them: keyword items (and `.`) show as `<val>` in parse errors,
 * other tokens quoted; a word that runs into a character no word may end
 * with is `bad character` (lexIdentifier, lexFieldOrVariable).
 */
describe("the template lexer's keywords and words (lex.go)", () => {
  it.each([
    ["{{ (1) if }}", "template: t:1: unexpected <if> in operand"],
    ["{{ (1) range }}", "template: t:1: unexpected <range> in operand"],
    ["{{ (1) with }}", "template: t:1: unexpected <with> in operand"],
    ["{{ (1) block }}", "template: t:1: unexpected <block> in operand"],
    ["{{ template . }}", "template: t:1: unexpected <.> in template clause"],
    ["{{ template nil }}", "template: t:1: unexpected <nil> in template clause"],
    ["{{ template end }}", "template: t:1: unexpected <end> in template clause"],
    ["{{ define . }}{{ end }}", "template: t:1: unexpected <.> in define clause"],
    ["{{ template true }}", 'template: t:1: unexpected "true" in template clause'],
    ["{{ template x }}", 'template: t:1: unexpected "x" in template clause'],
  ])("%s fails as Go's parser does", (text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it.each([
    ["{{ $x! }}", "template: t:1: bad character U+0021 '!'"],
    ["{{ .Field! }}", "template: t:1: bad character U+0021 '!'"],
    ["{{ word# }}", "template: t:1: bad character U+0023 '#'"],
    ["{{ if# }}", "template: t:1: bad character U+0023 '#'"],
  ])("%s is a word ended badly", (text, message) => {
    expect(parseError(text)).toBe(message);
  });
});
