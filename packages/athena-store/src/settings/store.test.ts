import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "../olympus-db/test-database";
import { deriveEncryptionKey, SettingDecryptionError } from "./crypto";
import { rotateSettingsKey } from "./rotate";
import { createSettingsStore, InvalidSettingError, MASKED_VALUE, MAX_SETTING_VALUE_LENGTH, SETTINGS_CHANGED_CHANNEL } from "./store";

const OLD_KEY = deriveEncryptionKey("old-settings-encryption-key-for-tests-000000", "production");
const NEW_KEY = deriveEncryptionKey("new-settings-encryption-key-for-tests-111111", "production");

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

const store = (domain: "ciam" | "iam", key = OLD_KEY) => createSettingsStore({ pool: db.pools[domain], domain, key });

describe("settings store: domain separation", () => {
  it("a value saved on CIAM is invisible to IAM, in get and in list", async () => {
    await store("ciam").set([{ key: "smtp.host", value: "smtp.ciam.example", secret: false }], "admin@example.com");
    expect(await store("ciam").get("smtp.host")).toBe("smtp.ciam.example");
    expect(await store("iam").get("smtp.host")).toBeUndefined();
    expect(await store("iam").list()).toEqual([]);
  });

  it("the same key on both domains holds two independent values", async () => {
    await store("ciam").set([{ key: "captcha.enabled", value: "true", secret: false }], "a");
    await store("iam").set([{ key: "captcha.enabled", value: "false", secret: false }], "b");
    expect(await store("ciam").get("captcha.enabled")).toBe("true");
    expect(await store("iam").get("captcha.enabled")).toBe("false");
    expect(await store("iam").delete("captcha.enabled")).toBe(true);
    expect(await store("ciam").get("captcha.enabled")).toBe("true");
  });

  it("crafted keys are refused before they reach SQL", async () => {
    for (const crafted of ["iam/smtp.host", "iam:smtp.host", "' OR domain='iam' --", "SMTP.HOST", "", "%", "a".repeat(129)]) {
      await expect(store("ciam").get(crafted)).rejects.toThrow(InvalidSettingError);
      await expect(store("ciam").set([{ key: crafted, value: "x", secret: false }], "a")).rejects.toThrow(InvalidSettingError);
      await expect(store("ciam").delete(crafted)).rejects.toThrow(InvalidSettingError);
    }
  });

  it("a store cannot be made for an unknown domain", () => {
    expect(() => createSettingsStore({ pool: db.pools.iam, domain: "IAM" as never, key: OLD_KEY })).toThrow(/unknown domain/);
  });

  it("row-level security holds even for a query that forgets the domain filter", async () => {
    await store("ciam").set([{ key: "a", value: "ciam", secret: false }], "x");
    await store("iam").set([{ key: "b", value: "iam", secret: false }], "x");
    const client = await db.pools.ciam.connect();
    try {
      const rows = (await client.query<{ domain: string }>("SELECT domain FROM olympus_settings")).rows;
      expect(rows.map((r) => r.domain)).toEqual(["ciam"]);
      await expect(client.query("INSERT INTO olympus_settings (domain, key, value) VALUES ('iam', 'c', 'x')")).rejects.toThrow(
        /row-level security/,
      );
    } finally {
      client.release();
    }
  });

  it("a store handed the other domain's pool refuses to run instead of seeing nothing", async () => {
    await expect(createSettingsStore({ pool: db.pools.iam, domain: "ciam", key: OLD_KEY }).list()).rejects.toThrow(
      /the ciam store is connected as "olympus_iam", not as "olympus_ciam"/,
    );
  });

  it("a CIAM secret copied into an IAM row does not open there", async () => {
    await store("ciam").set([{ key: "smtp.password", value: "ciam-secret", secret: true }], "x");
    await db.superuser(
      "INSERT INTO olympus_settings (domain, key, value, secret) SELECT 'iam', key, value, secret FROM olympus_settings WHERE domain = 'ciam'",
    );
    await expect(store("iam").get("smtp.password")).rejects.toThrow(SettingDecryptionError);
  });
});

describe("settings store: encryption", () => {
  it("round-trips secret values and stores them only as versioned ciphertext", async () => {
    await store("ciam").set(
      [
        { key: "smtp.password", value: "hunter2-but-longer", secret: true },
        { key: "smtp.host", value: "mail.example", secret: false },
      ],
      "admin@example.com",
    );
    expect(await store("ciam").get("smtp.password")).toBe("hunter2-but-longer");
    const raw = await db.superuser("SELECT key, value FROM olympus_settings WHERE domain = 'ciam' ORDER BY key");
    const stored = Object.fromEntries(raw.rows.map((r: { key: string; value: string }) => [r.key, r.value]));
    expect(stored["smtp.password"]).toMatch(new RegExp(`^v1\\.${OLD_KEY.id}\\.`));
    expect(stored["smtp.password"]).not.toContain("hunter2");
    expect(stored["smtp.host"]).toBe("mail.example");
  });

  it("masks secrets when listed and records who changed what", async () => {
    await store("iam").set(
      [
        { key: "api.key", value: "sk-live-123", secret: true },
        { key: "site.name", value: "Workforce", secret: false },
      ],
      "root@x",
    );
    const listing = await store("iam").list();
    expect(listing.map((s) => [s.key, s.value, s.secret, s.updatedBy])).toEqual([
      ["api.key", MASKED_VALUE, true, "root@x"],
      ["site.name", "Workforce", false, "root@x"],
    ]);
    expect(JSON.stringify(listing)).not.toContain("sk-live");
  });

  it("fails closed under the wrong key instead of returning anything", async () => {
    await store("ciam").set([{ key: "smtp.password", value: "s3cret", secret: true }], "x");
    await expect(store("ciam", NEW_KEY).get("smtp.password")).rejects.toThrow(SettingDecryptionError);
  });

  it("saves a batch atomically: one bad entry saves none", async () => {
    await expect(
      store("ciam").set(
        [
          { key: "good", value: "1", secret: false },
          { key: "Bad Key", value: "2", secret: false },
        ],
        "x",
      ),
    ).rejects.toThrow(InvalidSettingError);
    expect(await store("ciam").list()).toEqual([]);
  });
});

describe("rotateSettingsKey", () => {
  it("re-encrypts every secret row of the domain under the new key and loses none", async () => {
    const secrets = Array.from({ length: 60 }, (_, i) => ({ key: `secret.${i}`, value: `value-${i}-${"x".repeat(i)}`, secret: true }));
    await store("ciam").set([...secrets, { key: "plain", value: "stays", secret: false }], "x");
    await store("iam").set([{ key: "iam.secret", value: "iam-value", secret: true }], "x");

    const report = await rotateSettingsKey({ pool: db.pools.ciam, domain: "ciam", from: OLD_KEY, to: NEW_KEY });
    expect(report).toEqual({ domain: "ciam", rotated: 60, alreadyCurrent: 0 });

    const rows = (await db.superuser("SELECT key, value FROM olympus_settings WHERE domain = 'ciam' AND secret")).rows as {
      value: string;
    }[];
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.value.startsWith(`v1.${NEW_KEY.id}.`))).toBe(true);
    for (const s of secrets) expect(await store("ciam", NEW_KEY).get(s.key)).toBe(s.value);
    expect(await store("ciam", NEW_KEY).get("plain")).toBe("stays");
    await expect(store("ciam", OLD_KEY).get("secret.0")).rejects.toThrow(SettingDecryptionError);
    // The other domain's rows are untouched.
    expect(await store("iam", OLD_KEY).get("iam.secret")).toBe("iam-value");

    // Running it again is a no-op.
    expect(await rotateSettingsKey({ pool: db.pools.ciam, domain: "ciam", from: OLD_KEY, to: NEW_KEY })).toEqual({
      domain: "ciam",
      rotated: 0,
      alreadyCurrent: 60,
    });
  });

  it("aborts without changing anything when a row opens under neither key", async () => {
    await store("ciam").set(
      [
        { key: "a", value: "1", secret: true },
        { key: "b", value: "2", secret: true },
      ],
      "x",
    );
    const stranger = deriveEncryptionKey("a-third-key-nobody-configured-2222222222", "production");
    await createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: stranger }).set([{ key: "z", value: "3", secret: true }], "x");
    const before = (await db.superuser("SELECT key, value FROM olympus_settings ORDER BY key")).rows;

    await expect(rotateSettingsKey({ pool: db.pools.ciam, domain: "ciam", from: OLD_KEY, to: NEW_KEY })).rejects.toThrow(
      SettingDecryptionError,
    );
    expect((await db.superuser("SELECT key, value FROM olympus_settings ORDER BY key")).rows).toEqual(before);
  });

  it("a store given the previous key keeps reading during a rotation", async () => {
    await store("ciam").set([{ key: "a", value: "1", secret: true }], "x");
    const both = createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: NEW_KEY, previousKeys: [OLD_KEY] });
    expect(await both.get("a")).toBe("1");
    await rotateSettingsKey({ pool: db.pools.ciam, domain: "ciam", from: OLD_KEY, to: NEW_KEY });
    expect(await both.get("a")).toBe("1");
  });
});

describe("settings store: change notifications", () => {
  /** Collects the payloads of SETTINGS_CHANGED_CHANNEL on a dedicated connection of the domain's role. */
  async function listen(domain: "ciam" | "iam") {
    const client = await db.pools[domain].connect();
    const payloads: string[] = [];
    client.on("notification", (message) => {
      if (message.channel === SETTINGS_CHANGED_CHANNEL) payloads.push(message.payload ?? "");
    });
    await client.query(`LISTEN ${SETTINGS_CHANGED_CHANNEL}`);
    return {
      payloads,
      async settle() {
        // A round trip on the listening connection delivers notifications already committed.
        await client.query("SELECT 1");
      },
      async close() {
        await client.query(`UNLISTEN ${SETTINGS_CHANGED_CHANNEL}`);
        client.release();
      },
    };
  }

  it("a committed set and a delete notify with the domain; a refused write and a delete of nothing do not", async () => {
    const listener = await listen("ciam");
    try {
      await store("ciam").set([{ key: "smtp.host", value: "smtp.example.com", secret: false }], "a");
      await listener.settle();
      expect(listener.payloads).toEqual(["ciam"]);
      await expect(
        store("ciam").set([{ key: "smtp.port", value: "x".repeat(MAX_SETTING_VALUE_LENGTH + 1), secret: false }], "a"),
      ).rejects.toThrow(InvalidSettingError);
      expect(await store("ciam").delete("smtp.nothing")).toBe(false);
      expect(await store("ciam").delete("smtp.host")).toBe(true);
      await listener.settle();
      expect(listener.payloads).toEqual(["ciam", "ciam"]);
    } finally {
      await listener.close();
    }
  });
});
