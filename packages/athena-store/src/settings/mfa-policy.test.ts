import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "../olympus-db/test-database";
import { deriveEncryptionKey } from "./crypto";
import { mfaPolicyFromSettings, parseMfaGraceDays, parseMfaRequired, parseSecondFactorMethods, readMfaSettings } from "./mfa-policy";
import { createSettingsStore } from "./store";

const KEY = deriveEncryptionKey("mfa-policy-test-encryption-key-0123456789ab", "production");
const IAM_DEFAULTS = { required: true, graceDays: 0 };

let db: TestOlympusDatabase;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

beforeEach(async () => {
  await db.superuser("TRUNCATE olympus_settings");
});

const store = (domain: "ciam" | "iam") => createSettingsStore({ pool: db.pools[domain], domain, key: KEY });

describe("the MFA policy as Hera reads it from the settings", () => {
  it("keeps the deployment's defaults while nothing is stored", async () => {
    const stored = await readMfaSettings(db.pools.iam, "iam");
    expect(mfaPolicyFromSettings(stored, IAM_DEFAULTS)).toEqual({
      policy: { required: true, graceDays: 0, allowedMethods: ["totp", "webauthn"], offeredMethods: ["totp", "webauthn", "lookup_secret"] },
      invalid: [],
    });
  });

  // Hera logs in as its domain's role (the one its edge counters use): that role reads its own domain's settings, never the other's.
  it("reads what Athena stored for its own domain with the domain role, and nothing of the other domain", async () => {
    await store("ciam").set(
      [
        { key: "mfa.required", value: "true", secret: false },
        { key: "mfa.allowed_methods", value: "totp lookup_secret", secret: false },
        { key: "mfa.grace_days", value: "7", secret: false },
      ],
      "admin@example.com",
    );
    const ciam = mfaPolicyFromSettings(await readMfaSettings(db.pools.ciam, "ciam"), { required: false, graceDays: 0 });
    expect(ciam.policy).toEqual({
      required: true,
      graceDays: 7,
      allowedMethods: ["totp", "lookup_secret"],
      offeredMethods: ["totp", "lookup_secret"],
    });
    expect(await readMfaSettings(db.pools.iam, "iam")).toEqual(new Map());
    // A pool of the other domain's role is refused, not quietly given nothing.
    await expect(readMfaSettings(db.pools.iam, "ciam")).rejects.toThrow(/olympus_iam/);
  });

  it("turns the policy off and keeps a default for a value that no longer parses", async () => {
    await store("iam").set(
      [
        { key: "mfa.required", value: "false", secret: false },
        { key: "mfa.grace_days", value: "400", secret: false },
      ],
      "a",
    );
    expect(mfaPolicyFromSettings(await readMfaSettings(db.pools.iam, "iam"), IAM_DEFAULTS)).toEqual({
      policy: {
        required: false,
        graceDays: 0,
        allowedMethods: ["totp", "webauthn"],
        offeredMethods: ["totp", "webauthn", "lookup_secret"],
      },
      invalid: ["mfa.grace_days"],
    });
  });

  it("parses each value's text the one way Athena's form and Hera agree on", () => {
    expect([parseMfaRequired(" On "), parseMfaRequired("off"), parseMfaRequired("true"), parseMfaRequired("maybe")]).toEqual([
      true,
      false,
      true,
      undefined,
    ]);
    expect(parseSecondFactorMethods("webauthn, totp webauthn")).toEqual(["totp", "webauthn"]);
    expect(parseSecondFactorMethods("totp sms")).toBeUndefined();
    expect(parseSecondFactorMethods(" ")).toBeUndefined();
    expect([parseMfaGraceDays("0"), parseMfaGraceDays("90"), parseMfaGraceDays("91"), parseMfaGraceDays("1.5")]).toEqual([
      0,
      90,
      undefined,
      undefined,
    ]);
  });
});
