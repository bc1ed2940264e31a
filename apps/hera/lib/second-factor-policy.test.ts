import { describe, expect, it } from "vitest";
import { methodsNotOffered, mfaFactsOf, withoutEnrolmentOf } from "./second-factor-policy";

const DAY = 24 * 60 * 60 * 1000;
const CREATED = "2026-01-01T00:00:00.000Z";
const credential = (type: string) => ({ type, identifiers: [] });

describe("the MFA policy applied to an identity", () => {
  it("counts only credentials of the allowed methods as a second factor", () => {
    const withBackupCodes = {
      created_at: CREATED,
      credentials: { password: credential("password"), lookup_secret: credential("lookup_secret") },
    };
    const policy = { required: true, graceDays: 3, allowedMethods: ["totp", "webauthn"] as const };
    expect(mfaFactsOf(policy, withBackupCodes)).toEqual({
      required: true,
      enrolled: false,
      graceEndsAt: Date.parse(CREATED) + 3 * DAY,
      allowedMethods: ["totp", "webauthn"],
    });
    expect(mfaFactsOf({ ...policy, allowedMethods: ["lookup_secret"] }, withBackupCodes)).toMatchObject({ enrolled: true });
    expect(mfaFactsOf({ ...policy, required: false }, withBackupCodes)).toEqual({ required: false });
    // An identity Kratos no longer knows: no device, no grace.
    expect(mfaFactsOf(policy, undefined)).toMatchObject({ enrolled: false, graceEndsAt: 0 });
  });

  // Kratos gives every identity a webauthn credential holding the schema's identifier (identity/extension_credentials.go);
  // only a key that is not passwordless is a second factor (webauthn/strategy.go CountActiveMultiFactorCredentials).
  it("counts a webauthn credential only with a second-factor key", () => {
    const policy = { required: true, graceDays: 0, allowedMethods: ["webauthn"] as const };
    const withWebauthn = (config: unknown) => ({ created_at: CREATED, credentials: { webauthn: { ...credential("webauthn"), config } } });
    expect(mfaFactsOf(policy, { created_at: CREATED, credentials: { webauthn: credential("webauthn") } })).toMatchObject({
      enrolled: false,
    });
    expect(mfaFactsOf(policy, withWebauthn({}))).toMatchObject({ enrolled: false });
    expect(mfaFactsOf(policy, withWebauthn({ credentials: [{ is_passwordless: true }] }))).toMatchObject({ enrolled: false });
    expect(mfaFactsOf(policy, withWebauthn({ credentials: [{ is_passwordless: false }] }))).toMatchObject({ enrolled: true });
  });

  it("hides enrolment of the methods not allowed, but keeps removing an existing device possible", () => {
    const node = (group: string, name: string) => ({ group, attributes: { name, node_type: "input" } });
    const flow = {
      ui: {
        nodes: [
          node("default", "csrf_token"),
          node("totp", "totp_code"),
          { group: "totp", attributes: { id: "totp_qr", node_type: "img" } },
          node("webauthn", "webauthn_remove"),
          node("webauthn", "webauthn_register_trigger"),
          node("lookup_secret", "lookup_secret_reveal"),
        ],
      },
    };
    const hidden = methodsNotOffered({ required: true, graceDays: 0, allowedMethods: ["lookup_secret"] });
    expect(hidden).toEqual(["totp", "webauthn"]);
    expect(withoutEnrolmentOf(flow, hidden).ui.nodes.map((n) => ("name" in n.attributes ? n.attributes.name : n.attributes.id))).toEqual([
      "csrf_token",
      "webauthn_remove",
      "lookup_secret_reveal",
    ]);
    expect(withoutEnrolmentOf(flow, [])).toBe(flow);
  });
});

describe("methods offered for enrolment", () => {
  it("offers every method, backup codes included, while mfa.allowed_methods is unset, and only the allowed ones once it is set", async () => {
    const { mfaPolicyFromSettings } = await import("@olympus/athena-store/settings");
    const unset = mfaPolicyFromSettings(new Map(), { required: true, graceDays: 0 }).policy;
    expect(unset.allowedMethods).toEqual(["totp", "webauthn"]);
    expect(methodsNotOffered(unset)).toEqual([]);
    const totpOnly = mfaPolicyFromSettings(new Map([["mfa.allowed_methods", "totp"]]), { required: true, graceDays: 0 }).policy;
    expect(methodsNotOffered(totpOnly)).toEqual(["webauthn", "lookup_secret"]);
  });
});
