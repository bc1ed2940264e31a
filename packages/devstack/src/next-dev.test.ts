import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NEXT_DEV_STOP_GRACE_MS, nextDevEnv } from "./next-dev";

const WAIT_FOR_CACHE = "__NEXT_DEV_WAIT_FOR_TURBOPACK_SHUTDOWN";
const nextDir = path.dirname(createRequire(import.meta.url).resolve("next/package.json"));

describe("the environment of an app's next dev", () => {
  const env = nextDevEnv(
    { PATH: "/bin", DOMAIN: "iam", IAM_KRATOS_PUBLIC_URL: "http://elsewhere" },
    { domain: "ciam", app: "hera", port: 3000 },
  );

  it("holds only its own domain's values, in its own dist dir, without telemetry", () => {
    expect(env).toMatchObject({ PATH: "/bin", DOMAIN: "ciam", NEXT_DIST_DIR: ".next-dev-ciam", NEXT_TELEMETRY_DISABLED: "1" });
    expect(Object.keys(env).filter((name) => name.startsWith("IAM_"))).toEqual([]);
    expect(nextDevEnv({}, { domain: "iam", app: "athena", port: 4001, distDirPrefix: ".next-bench" }).NEXT_DIST_DIR).toBe(
      ".next-bench-iam",
    );
  });

  it("makes a stop wait until Turbopack has written its compile cache, so a restart starts warm", () => {
    expect(env[WAIT_FOR_CACHE]).toBe("1");
  });

  // The switch is Next's own (next/dist/cli/next-dev.js handleSessionStop, hot-reloader-turbopack.js's cleanup):
  // an upgrade that renames it must fail here, not silently bring back cold restarts.
  it("is a switch the installed Next.js still reads, in the CLI and in the dev server's cleanup", async () => {
    const cli = await readFile(path.join(nextDir, "dist", "cli", "next-dev.js"), "utf8");
    const hotReloader = await readFile(path.join(nextDir, "dist", "server", "dev", "hot-reloader-turbopack.js"), "utf8");
    expect(cli).toContain(WAIT_FOR_CACHE);
    expect(hotReloader).toMatch(new RegExp(`${WAIT_FOR_CACHE}[^\\n]*\\n\\s*await project\\.shutdown\\(\\)`));
  });

  it("gives a stop long enough for the cache to be written before the launcher kills what is left", () => {
    expect(NEXT_DEV_STOP_GRACE_MS).toBeGreaterThanOrEqual(10_000);
  });
});
