import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { createSettingsStore, deriveEncryptionKey } from "@olympus/athena-store/settings";
import { olympus } from "../testing/run";

const KEY = "7d1e0c9a5b3f2e4d6c8a0b1e3f5d7c9a7d1e0c9a5b3f2e4d6c8a0b1e3f5d7c9a";
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/olympus.js");

describe("olympus kratos-settings sync against the olympus database", () => {
  let db: TestOlympusDatabase;
  let dir: string;
  const store = () => createSettingsStore({ pool: db.pools.ciam, domain: "ciam", key: deriveEncryptionKey(KEY, "production") });

  beforeAll(async () => {
    db = await startTestOlympusDatabase();
    dir = await mkdtemp(path.join(tmpdir(), "olympus-kratos-settings-"));
    await store().set(
      [
        { key: "smtp.host", value: "smtp.example.com", secret: false },
        { key: "smtp.port", value: "465", secret: false },
        { key: "smtp.username", value: "mailer", secret: false },
        { key: "smtp.password", value: "mail-password", secret: true },
      ],
      "test",
    );
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string | undefined> = {}) => ({
    CIAM_OLYMPUS_DATABASE_URL: db.urls.ciam,
    CIAM_ENCRYPTION_KEY: KEY,
    ...extra,
  });

  it("writes the overlay relative to the current folder, then reports it unchanged", async () => {
    const run = await olympus(["kratos-settings", "sync", "--domain", "ciam", "--out", "ciam/overlay.yml", "--json"], env(), dir);
    expect(run.code).toBe(0);
    const file = path.join(dir, "ciam/overlay.yml");
    expect(run.json()).toEqual({
      ok: true,
      command: "kratos-settings sync",
      domain: "ciam",
      file,
      changed: true,
      invalid: [],
      watched: false,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const overlay = parse(await readFile(file, "utf8")) as { courier: { smtp: { connection_uri: string } } };
    expect(overlay.courier.smtp.connection_uri).toBe("smtps://mailer:mail-password@smtp.example.com:465/");

    const again = await olympus(["kratos-settings", "sync", "--domain", "ciam", "--out", file], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`kratos-settings: ciam: unchanged ${file}\n`);
  });

  it("IAM without SMTP settings gets the deployment's relay from IAM_SMTP_CONNECTION_URI", async () => {
    const file = path.join(dir, "iam.yml");
    const run = await olympus(["kratos-settings", "sync", "--domain", "iam", "--out", file], {
      IAM_OLYMPUS_DATABASE_URL: db.urls.iam,
      IAM_ENCRYPTION_KEY: KEY,
      IAM_SMTP_CONNECTION_URI: "smtps://relay:pw@relay.example.com:465/",
    });
    expect(run.code).toBe(0);
    const overlay = parse(await readFile(file, "utf8")) as { courier: { smtp: { connection_uri: string } } };
    expect(overlay.courier.smtp.connection_uri).toBe("smtps://relay:pw@relay.example.com:465/");
  });

  it("names what is missing: --out, the key, a wrong key", async () => {
    const noOut = await olympus(["kratos-settings", "sync", "--domain", "ciam"], env());
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out <file> is required/);
    const noKey = await olympus(["kratos-settings", "sync", "--domain", "ciam", "--out", path.join(dir, "x.yml")], {
      CIAM_OLYMPUS_DATABASE_URL: db.urls.ciam,
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/ENCRYPTION_KEY is not set/);
    const wrongKey = await olympus(
      ["kratos-settings", "sync", "--domain", "ciam", "--out", path.join(dir, "x.yml")],
      env({ CIAM_ENCRYPTION_KEY: "f3".repeat(32) }),
    );
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).toMatch(/smtp\.password/);
    expect(wrongKey.stderr).not.toMatch(/mail-password/);
  });

  it("--watch follows a saved setting and stops cleanly on SIGTERM", async () => {
    const file = path.join(dir, "watched.yml");
    const child = spawn(process.execPath, [BIN, "kratos-settings", "sync", "--domain", "ciam", "--out", file, "--watch"], {
      env: { ...env(), PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const eventually = async (check: () => Promise<boolean>) => {
        const end = Date.now() + 20_000;
        while (!(await check().catch(() => false))) {
          if (Date.now() > end) throw new Error(`timed out; stderr: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await eventually(() => Promise.resolve(stderr.includes("watching settings for changes")));
      await store().set([{ key: "smtp.host", value: "smtp.watched.example", secret: false }], "test");
      await eventually(async () => (await readFile(file, "utf8")).includes("smtp.watched.example"));
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
