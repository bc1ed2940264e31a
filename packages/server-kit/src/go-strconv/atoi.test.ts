import { describe, expect, it } from "vitest";
import { goAtoi, goParseInt } from "./atoi";

/** strconv atoi.go ParseInt (base 10, bitSize 64) and Atoi; the expected texts are what Go 1.26 prints. */
describe("goParseInt / goAtoi", () => {
  it("reads signed decimal int64 values", () => {
    expect(goAtoi("42")).toEqual({ value: 42n });
    expect(goAtoi("+7")).toEqual({ value: 7n });
    expect(goAtoi("-0")).toEqual({ value: 0n });
    expect(goParseInt("9223372036854775807")).toEqual({ value: 9223372036854775807n });
    expect(goParseInt("-9223372036854775808")).toEqual({ value: -9223372036854775808n });
  });

  it("answers strconv's error text, naming the function and quoting the bytes", () => {
    expect(goAtoi("")).toEqual({ error: 'strconv.Atoi: parsing "": invalid syntax' });
    expect(goAtoi("1_000")).toEqual({ error: 'strconv.Atoi: parsing "1_000": invalid syntax' });
    expect(goAtoi(" 1")).toEqual({ error: 'strconv.Atoi: parsing " 1": invalid syntax' });
    expect(goParseInt("9223372036854775808")).toEqual({ error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' });
    // Bytes that are not UTF-8 print as \\x.., an unassigned rune as \\u....
    expect(goAtoi("\xff1")).toEqual({ error: 'strconv.Atoi: parsing "\\xff1": invalid syntax' });
    expect(goAtoi("\xcd\xb8")).toEqual({ error: 'strconv.Atoi: parsing "\\u0378": invalid syntax' });
  });
});
