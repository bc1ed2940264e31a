import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resetDataDir } from "./reset";
import { writeState } from "./state";

describe("npm run dev:reset", () => {
  it("deletes the data directory (cluster, mail, logs), and says when there is nothing to delete", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "devstack-reset-"));
    const dataDir = path.join(parent, ".olympus");
    await mkdir(path.join(dataDir, "mail"), { recursive: true });
    await writeFile(path.join(dataDir, "mail", "1.eml"), "Subject: hi\n\nhello");
    expect(await resetDataDir(dataDir)).toBe("deleted");
    expect(existsSync(dataDir)).toBe(false);
    expect(await resetDataDir(dataDir)).toBe("absent");
    await rm(parent, { recursive: true });
  });

  it("refuses while a dev stack is running on it", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "devstack-reset-"));
    await writeState(dataDir, { pid: process.pid, startedAt: new Date().toISOString() });
    await expect(resetDataDir(dataDir)).rejects.toThrow(`a dev stack (pid ${process.pid}) is still running on ${dataDir}`);
    expect(existsSync(dataDir)).toBe(true);
    await rm(dataDir, { recursive: true });
  });
});
