import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "./postgres/cluster";
import { readState } from "./state";
import { freePorts, processesMentioning, removeTestDataDirs, runCli, testOptions, type CliRun } from "./test-support";

describe("olympus dev (the CLI behind npm run dev)", () => {
  let env: Record<string, string>;
  let dataDir: string;
  const started: CliRun[] = [];
  const start = (extra: Record<string, string> = {}) => {
    const run = runCli({ ...env, ...extra });
    started.push(run);
    return run;
  };

  beforeAll(async () => {
    const options = await testOptions();
    dataDir = options.dataDir;
    env = { OLYMPUS_DATA_DIR: dataDir, OLYMPUS_DEV_PORTS: JSON.stringify(options.ports) };
  });
  afterAll(async () => {
    for (const run of started) if (run.child.exitCode === null) run.child.kill("SIGKILL");
    await removeTestDataDirs();
  });

  it("fails with one clear line naming the port and the service when a port is taken", async () => {
    const ports = await freePorts();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.iam.kratosAdmin, "127.0.0.1", resolve));
    try {
      const run = start({ OLYMPUS_DEV_PORTS: JSON.stringify(ports) });
      expect(await run.exited).toBe(1);
      expect(run.stderr().trim().split("\n")).toEqual([
        expect.stringMatching(new RegExp(`^devstack: port ${ports.iam.kratosAdmin} \\(IAM Kratos admin API\\) is already in use`)),
      ]);
    } finally {
      blocker.close();
    }
  });

  it("fails with one line naming the variable when the configuration is invalid", async () => {
    const run = start({ OLYMPUS_ADMIN_PASSWORD: "too-short" });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe("devstack: OLYMPUS_ADMIN_PASSWORD: must be at least 12 characters (IAM Kratos' min_password_length)");
  });

  it("stops cleanly on SIGINT during initdb, and again once Postgres runs, leaving no processes", async () => {
    const early = start();
    await early.waitFor(/postgres: starting/);
    early.child.kill("SIGINT");
    expect(await early.exited).toBe(0);
    expect(early.stdout()).not.toContain("created a new cluster");
    expect(processesMentioning(dataDir)).toEqual([]);

    const later = start();
    await later.waitFor(/postgres: ready on/);
    // The interrupted initdb left nothing that passes for a cluster.
    expect(later.stdout()).toContain("created a new cluster");
    later.child.kill("SIGINT");
    expect(await later.exited).toBe(0);
    expect(later.stdout()).toContain("stopped before it was ready");
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it("then starts again to ready, and Ctrl-C leaves no processes", async () => {
    const run = start();
    await run.waitFor(/^ready$/m);
    expect(run.stdout()).toContain("Seeded IAM admin    admin@olympus.local  /  dev-password-change-me");
    const state = readState(dataDir);
    expect(state?.postgresPid).toBeGreaterThan(0);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(isAlive(state?.postgresPid ?? 0)).toBe(false);
    expect(isAlive(state?.mailPid ?? 0)).toBe(false);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it("recovers from a dev stack killed with SIGKILL: the orphaned postmaster is stopped, the data reused", async () => {
    const killed = start();
    await killed.waitFor(/^ready$/m);
    const orphan = readState(dataDir)?.postgresPid ?? 0;
    killed.child.kill("SIGKILL");
    await killed.exited;
    expect(isAlive(orphan)).toBe(true);

    const run = start();
    await run.waitFor(/^ready$/m);
    expect(run.stdout()).toContain("stopped a postmaster left running by an earlier dev stack");
    expect(run.stdout()).toContain("seeds: admin unchanged");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});
