import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

const render = (source: string) => () => compileTemplate(source, "t").render(null);

/**
 * goutils WrapCustom puts the separator after every piece, so a short width
 * and a long separator build far more than the text: the built length has
 * the cap of sprig's other builders, reported as the call's error.
 */
describe("wrapWith's built length", () => {
  it("refuses a result past the cap as the call's error", () => {
    expect(render('{{ wrapWith 1 (repeat 1100 "x") (repeat 524288 "a ") }}')).toThrow(/error calling wrapWith: result longer than 1048576/);
  });

  it("still wraps within the cap", () => {
    expect(compileTemplate('{{ wrapWith 3 "|" "ab cd ef" }}', "t").render(null)).toBe("ab|cd|ef");
  });
});

/**
 * shopspring/decimal NewFromFloat panics for a non-finite float ("Cannot
 * create a Decimal from +Inf"), which text/template's safeCall reports as
 * "error calling addf: …"; a raw JavaScript error used to escape instead.
 */
describe("float arithmetic on infinities", () => {
  it.each([
    ["{{ addf (mulf 1e308 10) 1 }}", "error calling addf: Cannot create a Decimal from +Inf"],
    ["{{ subf (mulf -1e308 10) 1 }}", "error calling subf: Cannot create a Decimal from -Inf"],
  ])("%s", (source, message) => {
    expect(render(source)).toThrow(message);
  });
});
