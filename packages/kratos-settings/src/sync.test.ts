import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { syncKratosOverlay } from "./sync";
import { watchKratosOverlay, type KratosOverlayWatcher } from "./watch";

const KEY = deriveEncryptionKey("kratos-settings-test-encryption-key-0123456789", "production");

let db: TestOlympusDatabase;
let dir: string;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

beforeEach(async () => {
  await db.superuser("TRUNCATE olympus_settings");
  dir = await mkdtemp(path.join(tmpdir(), "kratos-settings-"));
  return () => rm(dir, { recursive: true, force: true });
});

const store = (domain: "ciam" | "iam") => createSettingsStore({ pool: db.pools[domain], domain, key: KEY });
const options = (domain: "ciam" | "iam", file = path.join(dir, `${domain}.yml`)) => ({
  domain,
  pool: db.pools[domain],
  encryptionKey: KEY,
  file,
});
const readOverlay = async (file: string) => parse(await readFile(file, "utf8")) as Record<string, unknown>;

describe("syncKratosOverlay (real Postgres, real files)", () => {
  it("writes the domain's settings, secrets unsealed, mode 0600, and rewrites only on change", async () => {
    await store("ciam").set(
      [
        { key: "smtp.host", value: "smtp.example.com", secret: false },
        { key: "smtp.port", value: "587", secret: false },
        { key: "smtp.username", value: "mailer@example.com", secret: false },
        { key: "smtp.password", value: "p@ss word", secret: true },
        { key: "smtp.from_address", value: "no-reply@example.com", secret: false },
        { key: "social.providers.acme.issuer", value: "https://id.acme.example", secret: false },
        { key: "social.providers.acme.client_id", value: "client-1", secret: false },
        { key: "social.providers.acme.client_secret", value: "client-secret", secret: true },
        { key: "social.providers.acme.scopes", value: "openid email", secret: false },
        { key: "social.providers.acme.label", value: "Acme", secret: false },
      ],
      "admin@example.com",
    );
    const { file } = options("ciam");
    const first = await syncKratosOverlay(options("ciam"));
    expect(first).toEqual({ changed: true, file, invalid: [] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const overlay = await readOverlay(file);
    expect(overlay.courier).toEqual({
      smtp: { connection_uri: "smtp://mailer%40example.com:p%40ss%20word@smtp.example.com:587/", from_address: "no-reply@example.com" },
    });
    expect(overlay.selfservice).toMatchObject({
      methods: {
        oidc: {
          enabled: true,
          config: {
            providers: [{ id: "acme", client_secret: "client-secret", issuer_url: "https://id.acme.example", scope: ["openid", "email"] }],
          },
        },
      },
    });
    const before = await stat(file);

    expect((await syncKratosOverlay(options("ciam"))).changed).toBe(false);
    expect((await stat(file)).ino).toBe(before.ino);

    await store("ciam").set([{ key: "smtp.port", value: "465", secret: false }], "admin@example.com");
    expect((await syncKratosOverlay(options("ciam"))).changed).toBe(true);
    expect(((await readOverlay(file)).courier as { smtp: { connection_uri: string } }).smtp.connection_uri).toMatch(/^smtps:\/\//);
    // Atomic replacement: a new inode, and no temporary file left behind.
    expect((await stat(file)).ino).not.toBe(before.ino);
    expect(await readdir(dir)).toEqual(["ciam.yml"]);
  });

  it("each domain renders only its own rows; IAM's social sign-in is off by default and has no courier without SMTP settings", async () => {
    await store("ciam").set([{ key: "smtp.host", value: "smtp.ciam.example", secret: false }], "a");
    await syncKratosOverlay(options("iam"));
    const overlay = await readOverlay(path.join(dir, "iam.yml"));
    expect(overlay.courier).toBeUndefined();
    expect(overlay.selfservice).toEqual({ methods: { oidc: { enabled: false, config: { providers: [] } } } });
  });

  it("reports unusable stored values by key without failing the sync", async () => {
    await store("ciam").set(
      [
        { key: "smtp.host", value: "smtp.example.com", secret: false },
        { key: "smtp.port", value: "seventy", secret: false },
      ],
      "a",
    );
    const result = await syncKratosOverlay(options("ciam"));
    expect(result.invalid).toEqual(["smtp.port"]);
  });
});

describe("watchKratosOverlay", () => {
  let watcher: KratosOverlayWatcher | undefined;
  beforeEach(() => async () => {
    await watcher?.stop();
    watcher = undefined;
  });

  const waitFor = async (check: () => Promise<boolean>, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it("writes at start, then follows a settings change through NOTIFY (the poll is an hour away)", async () => {
    const { file } = options("ciam");
    const synced: boolean[] = [];
    watcher = await watchKratosOverlay({ ...options("ciam"), pollIntervalMs: 3_600_000, onSync: (result) => synced.push(result.changed) });
    expect((await readOverlay(file)).courier).toBeUndefined();

    await store("ciam").set([{ key: "smtp.host", value: "smtp.changed.example", secret: false }], "a");
    await waitFor(async () => (await readFile(file, "utf8")).includes("smtp.changed.example"));

    // Another domain's change announces "iam": CIAM's watcher does not re-read for it.
    const syncs = synced.length;
    await store("iam").set([{ key: "smtp.host", value: "smtp.iam.example", secret: false }], "a");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(synced.length).toBe(syncs);

    await store("ciam").delete("smtp.host");
    await waitFor(async () => (await readOverlay(file)).courier === undefined);
  });

  it("the poll catches a change made without a notification", async () => {
    const { file } = options("ciam");
    watcher = await watchKratosOverlay({ ...options("ciam"), pollIntervalMs: 100 });
    await db.superuser(
      "INSERT INTO olympus_settings (domain, key, value, secret) VALUES ('ciam', 'smtp.host', 'smtp.silent.example', false)",
    );
    await waitFor(async () => (await readFile(file, "utf8")).includes("smtp.silent.example"));
  });

  it("stops cleanly: no further writes, the listening connection returned", async () => {
    const { file } = options("ciam");
    watcher = await watchKratosOverlay({ ...options("ciam"), pollIntervalMs: 50 });
    await watcher.stop();
    watcher = undefined;
    await rm(file);
    await store("ciam").set([{ key: "smtp.host", value: "smtp.after-stop.example", secret: false }], "a");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    expect(db.pools.ciam.totalCount - db.pools.ciam.idleCount).toBe(0);
  });
});
