import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findWrk, runWrk } from "@olympus/server-kit/bench";

/**
 * Load from a separate process — wrk when it is installed, else a Node
 * process — so the server keeps this process to itself and its CPU time per
 * operation can be read with process.cpuUsage(): a figure that other load on
 * a busy machine distorts far less than a rate. wrk (C) also takes less of
 * the machine's two cores from the server than a JavaScript generator does.
 */
export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  /** Bodies are sent in turn (one per request, cycling). */
  bodies: string[];
  concurrency: number;
  durationMs: number;
  expectStatus: number;
}

export interface LoadResult {
  count: number;
  errors: number;
  elapsedMs: number;
  /** Up to 1,000 response bodies, for a later phase to use (e.g. tokens to introspect). */
  samples: string[];
}

const SAMPLES = 1000;

const WORKER_SOURCE = `
const http = require("node:http");
const spec = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const target = new URL(spec.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
const samples = [];
let count = 0, errors = 0, next = 0;
const deadline = Date.now() + spec.durationMs;
function once() {
  return new Promise((resolve) => {
    const body = spec.bodies[next++ % spec.bodies.length];
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: spec.method,
      headers: { ...spec.headers, "content-length": Buffer.byteLength(body) }, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { if (samples.length < 1000) text += chunk; });
      res.on("end", () => {
        if (res.statusCode === spec.expectStatus) count++; else errors++;
        if (samples.length < 1000 && text) samples.push(text);
        resolve();
      });
    });
    req.on("error", () => { errors++; resolve(); });
    req.end(body);
  });
}
async function lane() { while (Date.now() < deadline) await once(); }
const began = Date.now();
Promise.all(Array.from({ length: spec.concurrency }, lane)).then(() => {
  agent.destroy();
  process.stdout.write(JSON.stringify({ count, errors, elapsedMs: Date.now() - began, samples }));
});
`;

const WRK = process.env.BENCH_LOAD === "node" ? undefined : findWrk();

/** What generates the load, for the bench's heading. */
export const LOAD_GENERATOR = WRK ? "wrk, 1 thread" : "a Node process (wrk is not installed: apt install wrk)";

/** Runs the load process; for the Node one the spec goes in on stdin (a thousand JWTs would not fit in an environment variable). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (WRK) {
    const { count, errors, elapsedMs, samples } = await runWrk(WRK, { ...spec, headerSets: [spec.headers], samples: SAMPLES });
    return { count: count - errors, errors, elapsedMs, samples };
  }
  const running = promisify(execFile)(process.execPath, ["-e", WORKER_SOURCE], { maxBuffer: 256 * 1024 * 1024 });
  running.child.stdin?.end(JSON.stringify(spec));
  const { stdout } = await running;
  return JSON.parse(stdout) as LoadResult;
}
