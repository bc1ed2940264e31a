import { createGuardrails, generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { newTotpKey, qrCodeDataUri, secretFromUrl, totpUrl, verifyTotp } from "./key";

describe("TOTP keys", () => {
  it("builds otpauth URLs like pquerna/otp: Issuer:account label, sorted query, 160-bit secret", () => {
    const key = newTotpKey("Olympus Workforce", "ada@example.com");
    expect(key.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(key.url).toBe(
      `otpauth://totp/Olympus%20Workforce:ada%40example.com?algorithm=SHA1&digits=6&issuer=Olympus+Workforce&period=30&secret=${key.secret}`,
    );
    expect(secretFromUrl(key.url)).toBe(key.secret);
    expect(secretFromUrl("https://example.com/?secret=ABC")).toBeUndefined();
    expect(secretFromUrl(totpUrl("x", "y", "not base32!"))).toBeUndefined();
  });

  it("accepts the current code and one period of skew, nothing else", () => {
    const { secret } = newTotpKey("Olympus", "id");
    const now = Math.floor(Date.now() / 1000);
    const at = (epoch: number) => generateSync({ secret, epoch });
    expect(verifyTotp(generateSync({ secret }), secret)).toBe(true);
    expect(verifyTotp(at(now - 30), secret)).toBe(true);
    expect(verifyTotp(at(now + 30), secret)).toBe(true);
    expect(verifyTotp(at(now - 120), secret)).toBe(false);
    expect(verifyTotp("12345", secret)).toBe(false);
    expect(verifyTotp("abcdef", secret)).toBe(false);
  });

  // Kratos validates with pquerna/otp's totp.Validate (selfservice/strategy/totp), which sets no minimum secret length.
  it("verifies keys with a secret shorter than 128 bits, as pquerna/otp's totp.Validate does", () => {
    const shortSecret = "JBSWY3DPEHPK3PXP"; // 10 bytes, the RFC examples' and many imports' size
    const code = generateSync({ secret: shortSecret, guardrails: createGuardrails({ MIN_SECRET_BYTES: 10 }) });
    expect(verifyTotp(code, shortSecret)).toBe(true);
  });

  it("renders the QR code as a PNG data URI", async () => {
    const uri = await qrCodeDataUri(newTotpKey("Olympus", "id").url);
    expect(uri).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
  });
});
