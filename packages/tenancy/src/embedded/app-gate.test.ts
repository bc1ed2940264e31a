import { spawn } from "node:child_process";
import { request } from "node:http";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { embeddedHealthTargets } from "../health";
import { portBlock } from "../ports";
import { tenantSchema } from "../tenant";
import { AppGate, type AppPhase, type AppStatus } from "./app-gate";
import { DEFAULT_APP_IDLE_TIMEOUT, parseAppIdleTimeout, resolveAppIdleTimeout } from "./app-idle";
import type { RunState } from "./state";

/** A stand-in for an app's server: answers /api/health, and anything else with what it received and from where. */
const FAKE_APP = `
const http = require("node:http");
setTimeout(() => {
  http.createServer((req, res) => {
    if (req.url === "/api/health") return res.end("ok");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ pid: process.pid, remote: req.socket.remoteAddress, rawHeaders: req.rawHeaders, url: req.url }));
  }).listen(Number(process.env.PORT), "127.0.0.1");
}, Number(process.env.START_DELAY_MS || 0));
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Echo {
  pid: number;
  remote: string;
  rawHeaders: string[];
  url: string;
}

/** One request on its own connection (no keep-alive pool, which would hold the app awake). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false, timeout: 20_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

const gates: AppGate[] = [];
afterEach(async () => {
  for (const gate of gates.splice(0)) await gate.close();
});

async function gate(options: { idleTimeoutMs: number; script?: string; env?: Record<string, string>; startTimeoutMs?: number }) {
  const publicPort = await freePort();
  const internalPort = await freePort();
  const spawned: number[] = [];
  const phases: AppPhase[] = [];
  const app = new AppGate({
    publicPort,
    internalPort,
    idleTimeoutMs: options.idleTimeoutMs,
    startTimeoutMs: options.startTimeoutMs,
    spawn: () => {
      const child = spawn(process.execPath, ["-e", options.script ?? FAKE_APP], {
        env: { ...process.env, PORT: String(internalPort), ...options.env },
        stdio: "ignore",
      });
      spawned.push(child.pid ?? 0);
      return child;
    },
    onChange: (status: AppStatus) => phases.push(status.phase),
  });
  gates.push(app);
  await app.listen();
  return { app, publicPort, internalPort, spawned, phases };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("an embedded tenant's app sleeps when idle and wakes at the next connection", () => {
  it("starts the app at the first connection and answers it; connections meanwhile wait for that one start", async () => {
    const { app, publicPort, spawned } = await gate({ idleTimeoutMs: 60_000, env: { START_DELAY_MS: "400" } });
    expect(app.status.phase).toBe("sleeping");
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => get(publicPort, `/page-${i}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => (JSON.parse(a.body) as Echo).url)).toEqual(["/page-1", "/page-2", "/page-3", "/page-4", "/page-5"]);
    expect(spawned).toHaveLength(1);
    expect(app.status).toMatchObject({ phase: "awake", pid: spawned[0] });
  });

  it("stops the app after the idle timeout without a connection, and starts it again for the next visitor", async () => {
    const { app, publicPort, spawned, phases } = await gate({ idleTimeoutMs: 300 });
    const first = JSON.parse((await get(publicPort, "/")).body) as Echo;
    await until(() => app.status.phase === "sleeping");
    expect(phases).toEqual(["starting", "awake", "stopping", "sleeping"]);
    expect(() => process.kill(first.pid, 0)).toThrow();
    const second = JSON.parse((await get(publicPort, "/")).body) as Echo;
    expect(second.pid).not.toBe(first.pid);
    expect(spawned).toHaveLength(2);
  });

  it("does not sleep while a connection is open", async () => {
    const { app, publicPort } = await gate({ idleTimeoutMs: 200 });
    await get(publicPort, "/");
    const held = await new Promise<Socket>((resolve) => {
      const socket: Socket = connect(publicPort, "127.0.0.1", () => resolve(socket));
    });
    // Another visit comes and goes meanwhile: the held connection still keeps the app up.
    await get(publicPort, "/");
    await new Promise((r) => setTimeout(r, 600));
    expect(app.status.phase).toBe("awake");
    held.destroy();
    await until(() => app.status.phase === "sleeping");
  });

  it("passes requests byte for byte: X-Forwarded-For and every other header as sent, from a loopback peer", async () => {
    const { publicPort } = await gate({ idleTimeoutMs: 60_000 });
    const echo = JSON.parse(
      (await get(publicPort, "/", { "X-Forwarded-For": "203.0.113.7, 10.0.0.1", "x-olympus-peer-address": "forged 1.2.3.4" })).body,
    ) as Echo;
    expect(echo.rawHeaders).toEqual([
      "X-Forwarded-For",
      "203.0.113.7, 10.0.0.1",
      "x-olympus-peer-address",
      "forged 1.2.3.4",
      "Host",
      `127.0.0.1:${publicPort}`,
      "Connection",
      "close",
    ]);
    // The app bound 127.0.0.1, so its peers were loopback before the gate too (Caddy on this host, or a local browser).
    expect(echo.remote).toBe("127.0.0.1");
  });

  it("answers the waiting visitors with a 502 when the app cannot start, and tries again at the next visit", async () => {
    const { app, publicPort, spawned } = await gate({ idleTimeoutMs: 60_000, script: "process.exit(3)" });
    const answers = await Promise.all([get(publicPort, "/a"), get(publicPort, "/b")]);
    expect(answers.map((a) => a.status)).toEqual([502, 502]);
    expect(app.status).toMatchObject({ phase: "failed", detail: "the app exited with code 3 while starting" });
    expect((await get(publicPort, "/c")).status).toBe(502);
    expect(spawned).toHaveLength(2);
  });

  it("gives up on an app that never answers after the start timeout, with a 502", async () => {
    const { app, publicPort } = await gate({ idleTimeoutMs: 60_000, script: "setInterval(() => {}, 1000)", startTimeoutMs: 500 });
    expect((await get(publicPort, "/")).status).toBe(502);
    expect(app.status).toMatchObject({ phase: "failed", detail: "the app did not answer within 0.5 s" });
  });

  it("reports an app that exits while serving as crashed, until a visit starts it again", async () => {
    const { app, publicPort } = await gate({ idleTimeoutMs: 60_000 });
    const { pid } = JSON.parse((await get(publicPort, "/")).body) as Echo;
    process.kill(pid, "SIGKILL");
    await until(() => app.status.phase === "crashed");
    expect(app.status.detail).toBe("the app exited on SIGKILL");
    expect((await get(publicPort, "/")).status).toBe(200);
    expect(app.status.phase).toBe("awake");
  });

  it("holds the public port on loopback only", async () => {
    const { publicPort } = await gate({ idleTimeoutMs: 60_000 });
    const other = createServer();
    // Another interface's address for the same port is still free: the gate did not take 0.0.0.0.
    await expect(
      new Promise<void>((resolve, reject) => {
        other.once("error", reject);
        other.listen(publicPort, "127.0.0.2", resolve);
      }).finally(() => other.close()),
    ).resolves.toBeUndefined();
  });
});

describe("tenant status of an app that sleeps", () => {
  const tenant = tenantSchema.parse({
    name: "acme",
    domains: ["ciam"],
    parentDomain: "localhost",
    slot: 7,
    target: "embedded",
    version: "1",
    createdAt: new Date(0).toISOString(),
  });
  const block = portBlock(7);
  const state = (apps: RunState["apps"]): RunState => ({
    status: "ready",
    supervisorPid: 1,
    processes: [],
    notes: [],
    apps,
    updatedAt: new Date(0).toISOString(),
  });
  const since = new Date(0).toISOString();

  it("reports a sleeping app as healthy without asking it, a crashed one as down, and asks an awake one behind its gate", () => {
    const targets = embeddedHealthTargets(
      tenant,
      state({
        "ciam-hera": { phase: "sleeping", port: block.ciam.hera + 20, since },
        "ciam-athena": { phase: "crashed", port: block.ciam.athena + 20, detail: "the app exited with code 1", since },
      }),
    );
    expect(targets.find((t) => t.service === "ciam-hera")?.known).toEqual({ up: true, detail: "sleeping" });
    expect(targets.find((t) => t.service === "ciam-athena")?.known).toEqual({ up: false, detail: "crashed: the app exited with code 1" });
    const awake = embeddedHealthTargets(tenant, state({ "ciam-hera": { phase: "awake", pid: 42, port: block.ciam.hera + 20, since } }));
    expect(awake.find((t) => t.service === "ciam-hera")).toEqual({
      service: "ciam-hera",
      url: `http://127.0.0.1:${block.ciam.hera + 20}/api/health?ready=1`,
    });
    // Not started (no apps): left out; Kratos and Hydra asked as before.
    expect(awake.map((t) => t.service)).toEqual(["ciam-hera", "ciam-kratos", "ciam-hydra"]);
  });

  it("a status check at the app's own port does not put off its sleep", async () => {
    const { app, publicPort, internalPort } = await gate({ idleTimeoutMs: 400 });
    await get(publicPort, "/");
    const deadline = Date.now() + 5000;
    let answered = 0;
    while (app.status.phase === "awake" && Date.now() < deadline) {
      // The app may stop between the check and the question: only count the answers.
      if ((await get(internalPort, "/api/health").catch(() => undefined))?.status === 200) answered++;
      await new Promise((r) => setTimeout(r, 100));
    }
    await until(() => app.status.phase === "sleeping");
    expect(answered).toBeGreaterThan(2);
  });
});

describe("the app idle timeout", () => {
  it("reads durations and 0/never, and falls back from the override to the tenant's record to the default", () => {
    expect(parseAppIdleTimeout("10m")).toBe(600_000);
    expect(parseAppIdleTimeout("90s")).toBe(90_000);
    expect(parseAppIdleTimeout("250ms")).toBe(250);
    expect(parseAppIdleTimeout("never")).toBe(0);
    expect(parseAppIdleTimeout("0")).toBe(0);
    expect(parseAppIdleTimeout("10 minutes")).toBeUndefined();
    expect(resolveAppIdleTimeout("30s", "1h")).toBe(30_000);
    expect(resolveAppIdleTimeout(undefined, "1h")).toBe(3_600_000);
    expect(resolveAppIdleTimeout(undefined, undefined)).toBe(parseAppIdleTimeout(DEFAULT_APP_IDLE_TIMEOUT));
    expect(() => resolveAppIdleTimeout("soon", undefined)).toThrow(/app idle timeout "soon"/);
  });
});
