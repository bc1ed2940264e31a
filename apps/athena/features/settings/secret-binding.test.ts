import { describe, expect, it } from "vitest";
import { secretBoundTo, unboundSecretChanges, type StoredValues } from "./secret-binding";

const stored: StoredValues = {
  plain: new Map([
    ["smtp.host", "smtp.example.com"],
    ["smtp.port", "587"],
    ["social.providers.acme.issuer", "https://id.acme.example"],
    ["social.providers.acme.client_id", "olympus"],
  ]),
  secrets: new Set(["smtp.password", "social.providers.acme.client_secret"]),
};
const entry = (key: string, value: string, secret = false) => ({ key, value, secret });

describe("a stored secret goes only where it was entered for", () => {
  it("refuses pointing SMTP elsewhere with the stored password kept", () => {
    expect(unboundSecretChanges([entry("smtp.host", "mx.attacker.example")], stored)).toEqual({
      "smtp.host": "enter the password again when the host, port, security or username changes",
    });
    expect(unboundSecretChanges([entry("smtp.security", "none")], stored)).toHaveProperty(["smtp.security"]);
  });

  it("refuses a provider's new issuer or client id with the stored client secret kept", () => {
    expect(unboundSecretChanges([entry("social.providers.acme.issuer", "https://idp.attacker.example")], stored)).toEqual({
      "social.providers.acme.issuer": "enter the client secret again when the issuer or client id changes",
    });
  });

  it("allows the change with the secret entered again, unchanged destinations, and other settings", () => {
    expect(unboundSecretChanges([entry("smtp.host", "mx.new.example"), entry("smtp.password", "typed-again", true)], stored)).toEqual({});
    expect(unboundSecretChanges([entry("smtp.host", "smtp.example.com"), entry("smtp.port", "587")], stored)).toEqual({});
    expect(unboundSecretChanges([entry("smtp.from_address", "no-reply@example.com")], stored)).toEqual({});
    expect(unboundSecretChanges([entry("smtp.host", "mx.new.example")], { plain: new Map(), secrets: new Set() })).toEqual({});
  });

  it("binds only the destination keys", () => {
    expect(secretBoundTo("social.providers.acme.label")).toBeUndefined();
    expect(secretBoundTo("social.providers.acme.client_id")?.secret).toBe("social.providers.acme.client_secret");
  });
});
