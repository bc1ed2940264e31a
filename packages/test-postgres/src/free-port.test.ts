import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claimFreePort, ephemeralPortRange, freePort, TEST_PORT_FLOOR } from "./free-port";

/** A kernel probe that answers with these ports in turn, repeating itself like the kernel may. */
function probeAnswering(...ports: number[]): () => Promise<number> {
  let call = 0;
  return () => Promise.resolve(ports[Math.min(call++, ports.length - 1)] ?? 0);
}

describe("freePort", () => {
  it("hands out distinct ports", async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
  });

  // The CI failure "port 38303 (mail catcher SMTP) is already in use": 38303 lies in Linux' ephemeral
  // range, where any outgoing connection may take it as its source port after it was handed out.
  it("never hands out a port the kernel may give an outgoing connection or a bind to port 0", async () => {
    const { low, high } = ephemeralPortRange();
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(TEST_PORT_FLOOR);
      expect(port < low || port > high, `${port} is in the ephemeral range ${low}-${high}`).toBe(true);
    }
  });

  it("skips a port the kernel offers again after this process was handed it", async () => {
    const first = await claimFreePort(probeAnswering(46_101));
    expect(first).toBe(46_101);
    expect(await claimFreePort(probeAnswering(46_101, 46_101, 46_102))).toBe(46_102);
  });

  it("skips a port another live process was handed (the CI race between Vitest workers)", async () => {
    expect(await claimFreePort(probeAnswering(46_201))).toBe(46_201);
    const module = JSON.stringify(new URL("./free-port.ts", import.meta.url).pathname);
    const script = `import { claimFreePort } from ${module};
      let call = 0; const answers = [46201, 46201, 46202];
      console.log(await claimFreePort(async () => answers[Math.min(call++, 2)]));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe("46202");
  });

  it("takes over the claim of a process that has exited", async () => {
    const module = JSON.stringify(new URL("./free-port.ts", import.meta.url).pathname);
    const claimAndDie = `import { claimFreePort } from ${module}; console.log(await claimFreePort(async () => 46301)); process.kill(process.pid, "SIGKILL");`;
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", claimAndDie], { encoding: "utf8" });
    expect(await claimFreePort(probeAnswering(46_301))).toBe(46_301);
  });

  // The CI failure "no unclaimed free port after 100 tries": Vitest workers end without exit handlers,
  // so claim files outlived them, and once their pids belonged to other living processes every such
  // port stayed claimed. On Linux the kernel ends a claim with its process, and no file speaks for one.
  it.runIf(process.platform === "linux")("is not blocked by a claim file a dead process left under a pid now reused", async () => {
    const claimsDir = path.join(tmpdir(), "olympus-test-port-claims");
    mkdirSync(claimsDir, { recursive: true });
    writeFileSync(path.join(claimsDir, "46401"), String(process.ppid));
    expect(await claimFreePort(probeAnswering(46_401))).toBe(46_401);
  });
});
