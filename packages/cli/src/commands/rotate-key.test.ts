import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { freePort } from "@olympus/test-postgres";
import { olympus } from "../testing/run";

const OLD_KEY = "9a1f0c7e5d3b2a4968e7f1c0b5d3a2e19a1f0c7e5d3b2a4968e7f1c0b5d3a2e1";
const NEW_KEY = "4c2e8a6f1b9d3e7c5a0f2d4b6e8c1a3f4c2e8a6f1b9d3e7c5a0f2d4b6e8c1a3f";

describe("olympus rotate-key against the olympus database", () => {
  let db: TestOlympusDatabase;

  beforeAll(async () => {
    db = await startTestOlympusDatabase();
    const store = createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: deriveEncryptionKey(OLD_KEY, "production") });
    await store.set(
      [
        { key: "smtp.password", value: "mail-password-1", secret: true },
        { key: "captcha.secret", value: "captcha-secret-2", secret: true },
        { key: "brand.name", value: "Olympus", secret: false },
      ],
      "test",
    );
  });
  afterAll(async () => {
    await db?.stop();
  });

  const env = (extra: Record<string, string | undefined> = {}) => ({
    CIAM_OLYMPUS_DATABASE_URL: db.urls.ciam,
    CIAM_ENCRYPTION_KEY: NEW_KEY,
    CIAM_ENCRYPTION_KEY_PREVIOUS: OLD_KEY,
    ...extra,
  });

  it("re-encrypts the domain's secrets under the new key, then reports them already current", async () => {
    const run = await olympus(["rotate-key", "--domain", "ciam", "--json"], env());
    expect(run.code).toBe(0);
    const next = deriveEncryptionKey(NEW_KEY, "production");
    expect(run.json()).toEqual({ ok: true, command: "rotate-key", domain: "ciam", rotated: 2, alreadyCurrent: 0, keyId: next.id });

    const reopened = createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: next });
    expect(await reopened.get("smtp.password")).toBe("mail-password-1");
    expect(await reopened.get("captcha.secret")).toBe("captcha-secret-2");

    const again = await olympus(["rotate-key", "--domain", "ciam"], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`rotate-key: ciam: 0 secret(s) re-encrypted, 2 already under the new key (key id ${next.id})\n`);
    expect(again.stderr).toMatch(/· ciam: re-encrypting every secret setting/);
  });

  it("refuses the wrong domain's role, with one line", async () => {
    const run = await olympus(["rotate-key", "--domain", "ciam"], env({ CIAM_OLYMPUS_DATABASE_URL: db.urls.iam }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^olympus: olympus database: the ciam store is connected as "olympus_iam", not as "olympus_ciam"/m);
  });

  it.each([
    ["no domain", [], {}, /--domain ciam\|iam is required \(or set DOMAIN\)/],
    [
      "the same key twice",
      ["--domain", "ciam"],
      { CIAM_ENCRYPTION_KEY_PREVIOUS: NEW_KEY },
      /ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS are the same key/,
    ],
    ["a short key", ["--domain", "ciam"], { CIAM_ENCRYPTION_KEY: "short" }, /CIAM_ENCRYPTION_KEY must be at least 32 bytes, got 5/],
    [
      "no previous key",
      ["--domain", "ciam"],
      { CIAM_ENCRYPTION_KEY_PREVIOUS: undefined },
      /ENCRYPTION_KEY_PREVIOUS is not set; set it to the key in use until now/,
    ],
  ] as const)("refuses %s (exit 2)", async (_what, args, extra, message) => {
    const run = await olympus(["rotate-key", ...args], env(extra));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("names the variable when the database cannot be reached", async () => {
    const url = `postgres://olympus_ciam:pw@127.0.0.1:${await freePort()}/olympus`;
    const run = await olympus(["rotate-key", "--domain", "ciam", "--json"], env({ CIAM_OLYMPUS_DATABASE_URL: url }));
    expect(run.code).toBe(1);
    const output = run.json();
    expect(output).toMatchObject({ ok: false, error: { code: "unreachable" } });
    expect(output).toHaveProperty(
      "error.message",
      expect.stringMatching(/olympus database at 127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\); check CIAM_OLYMPUS_DATABASE_URL/),
    );
  });
});
