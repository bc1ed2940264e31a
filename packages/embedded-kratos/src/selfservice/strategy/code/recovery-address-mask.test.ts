import { describe, expect, it } from "vitest";
import type { KratosConfig } from "../../../config/load";
import { addressChoiceValue, maskAddress, sameText } from "./recovery-address-mask";

describe("recovery v2 address masking and hashing (code/strategy.go MaskAddress, strategy_recovery.go AddressToHashBase64)", () => {
  it("masks as strategy_test.go TestMaskAddress expects", () => {
    expect(maskAddress("a")).toBe("a");
    expect(maskAddress("ab@cd")).toBe("ab****@cd");
    expect(maskAddress("fixed@ory.sh")).toBe("fi****@ory.sh");
    expect(maskAddress("f@ory.sh")).toBe("f@ory.sh");
    expect(maskAddress("+12345678910")).toBe("+12****10");
    expect(maskAddress("+123456")).toBe("+12****56");
    expect(maskAddress("+1234")).toBe("+1234");
  });

  it("cuts bytes as Go does: a split character becomes one U+FFFD per byte, as Go's JSON writes it (printed with go1.19)", () => {
    expect(maskAddress("aé@x.example")).toBe("a\ufffd****@x.example");
    expect(maskAddress("€uro@x")).toBe("\ufffd\ufffd****@x");
    expect(maskAddress("+€123€")).toBe("+\ufffd\ufffd****\ufffd\ufffd");
    expect(maskAddress("日本語の電話")).toBe("日****\ufffd\ufffd");
  });

  it("keys the choice value with the server's secret and the flow, unlike Kratos' bare SHA-256 (AddressToHashBase64)", () => {
    // The TestRecovery_V2 SeveralAddresses snapshot's value for +491705550167: brute-forceable from the masked `+49****67`.
    const kratosValue = "MEIbSbZvtBRV9TH7wdFTF5CGyhxaaM2zuLDSIELCIAI=";
    const config = (secret: string) => ({ secrets: { default: [secret] } }) as unknown as KratosConfig;
    const value = addressChoiceValue(config("s".repeat(32)), "flow-1", "+491705550167");
    expect(value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(value).not.toBe(kratosValue);
    expect(addressChoiceValue(config("s".repeat(32)), "flow-1", "+491705550167")).toBe(value);
    expect(addressChoiceValue(config("s".repeat(32)), "flow-2", "+491705550167")).not.toBe(value);
    expect(addressChoiceValue(config("t".repeat(32)), "flow-1", "+491705550167")).not.toBe(value);
  });

  it("compares in constant time, texts of different lengths being unequal", () => {
    expect(sameText("abc", "abc")).toBe(true);
    expect(sameText("abc", "abd")).toBe(false);
    expect(sameText("abc", "abcd")).toBe(false);
  });
});
