import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

interface GoldenCase {
  text: string;
  go: { out?: string; error?: string };
}

/**
 * sprig v3.3.0's seq (numeric.go), adler32sum (crypto.go), swapcase
 * (huandu/xstrings SwapCase), wrap, wrapWith, abbrevboth (Masterminds/goutils
 * WrapCustom, AbbreviateFull), typeIsLike (reflect.go), mustFromJson
 * (defaults.go) and deepCopy, mustDeepCopy (dict.go over
 * mitchellh/copystructure): outputs and error texts Go 1.19 printed for each
 * template with sprig's real HermeticTxtFuncMap.
 */
const golden = JSON.parse(readFileSync(path.join(__dirname, "sprig-hermetic.golden.json"), "utf8")) as { cases: GoldenCase[] };

function run(text: string): { out?: string; error?: string } {
  try {
    return { out: compileTemplate(text, "t").render(null) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("sprig v3.3.0 functions checked against Go with sprig's own FuncMap", () => {
  it.each(golden.cases.map((c) => [c.text, c] as const))("%s", (_, c) => {
    expect(run(c.text)).toEqual(c.go);
  });
});

/**
 * Where Go has no answer to copy: a map put into itself makes copystructure
 * and mergo recurse until Go's stack overflows (a fatal error that takes the
 * process down), and `seq` builds any length. Here each stops with an error
 * of the template instead.
 */
describe("caps of embedded-kratos on the added sprig functions", () => {
  it.each([
    [`{{ $d := dict }}{{ $_ := set $d "d" $d }}{{ deepCopy $d }}`, "value nested deeper than 1000"],
    [`{{ $d := dict }}{{ $_ := set $d "d" $d }}{{ merge $d $d }}`, "value nested deeper than 1000"],
    [`{{ seq 100000000 }}`, "result longer than 1048576"],
    [`{{ seq -9223372036854775807 9223372036854775806 }}`, "result longer than 1048576"],
  ])("%s", (text, message) => {
    expect(run(text).error).toContain(message);
  });
});
