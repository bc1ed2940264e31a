import { describe, expect, it } from "vitest";
import { storedValues } from "./stored-values";

const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : undefined);

describe("typed values out of stored settings rows", () => {
  it("parses a stored text, keeps the fallback for an unset key, and notes each key that does not parse, in pick order", () => {
    const { pick, invalid } = storedValues(
      new Map([
        ["a", "12"],
        ["b", "twelve"],
        ["d", "-1"],
      ]),
    );
    expect(pick("a", whole, 0)).toBe(12);
    expect(pick("c", whole, 7)).toBe(7);
    expect(pick("d", whole, 3)).toBe(3);
    expect(pick("b", whole, 5)).toBe(5);
    expect(invalid).toEqual(["d", "b"]);
  });
});
