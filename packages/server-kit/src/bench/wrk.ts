import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/**
 * Load from wrk (C, epoll): a generator that spends far less CPU per request
 * than one written in JavaScript, so on a small machine its own queueing
 * stops dominating the server's latency tail. One wrk thread keeps
 * `concurrency` connections busy; a generated Lua script cycles through the
 * given requests (one per request, round robin), checks each status when
 * asked to, and writes the summary as JSON to a file.
 */
export interface WrkSpec {
  url: string;
  method: "GET" | "POST";
  /** Sent in turn, one set per request (cycling), beside `bodies`. */
  headerSets: Record<string, string>[];
  /** Sent in turn, one per request (cycling); omit for requests without a body. */
  bodies?: string[];
  concurrency: number;
  durationMs: number;
  /** Counts every other status as an error (reading each response in Lua); without it, wrk's own count of non-2xx/3xx answers. */
  expectStatus?: number;
  /** How many response bodies to keep (requires `expectStatus`; only bodies of answers with that status). */
  samples?: number;
}

export interface WrkResult {
  count: number;
  errors: number;
  elapsedMs: number;
  /** Latency percentiles (ms) from wrk's own histogram. */
  p50: number;
  p99: number;
  samples: string[];
}

/** The path of a `wrk` executable on PATH, or undefined. */
export function findWrk(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "wrk");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A Lua string literal for any text: printable ASCII kept, everything else as decimal byte escapes. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, "0")}`;
  }
  return `${out}"`;
}

/** The Lua script for `spec`, writing its JSON summary to `resultPath`. */
export function wrkScript(spec: WrkSpec, resultPath: string): string {
  const headerSets = spec.headerSets.length > 0 ? spec.headerSets : [{}];
  const bodies = spec.bodies && spec.bodies.length > 0 ? spec.bodies : [undefined];
  // Pre-format every distinct request once; request() only picks the next one.
  const count = Math.max(headerSets.length, bodies.length);
  const requests: string[] = [];
  for (let i = 0; i < count; i++) {
    const headers = headerSets[i % headerSets.length] ?? {};
    const body = bodies[i % bodies.length];
    const headerTable = `{${Object.entries(headers)
      .map(([name, value]) => `[${luaString(name)}]=${luaString(value)}`)
      .join(",")}}`;
    requests.push(`wrk.format(${luaString(spec.method)}, nil, ${headerTable}, ${body === undefined ? "nil" : luaString(body)})`);
  }
  const checking = spec.expectStatus !== undefined;
  const keep = checking ? (spec.samples ?? 0) : 0;
  return `
local requests = {}
local next_request = 0
function init(args)
${requests.map((r) => `  requests[#requests + 1] = ${r}`).join("\n")}
end
function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
${
  checking
    ? `
wrong_status = 0
samples = {}
function response(status, headers, body)
  if status ~= ${spec.expectStatus} then
    wrong_status = wrong_status + 1
  elseif #samples < ${keep} and body then
    samples[#samples + 1] = body
  end
end`
    : ""
}
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
local function json_string(s)
  return '"' .. s:gsub('[%c"\\\\]', function(c) return string.format("\\\\u%04x", c:byte()) end) .. '"'
end
function done(summary, latency, requests_stats)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  local parts = {}
  for _, thread in ipairs(threads) do
${
  checking
    ? `    errors = errors + thread:get("wrong_status")
    for _, body in ipairs(thread:get("samples")) do parts[#parts + 1] = json_string(body) end`
    : `    errors = errors + e.status`
}
  end
  local out = io.open(${luaString(resultPath)}, "w")
  out:write(string.format('{"count":%d,"errors":%d,"elapsedMs":%.3f,"p50":%.3f,"p99":%.3f,"samples":[%s]}',
    summary.requests, errors, summary.duration / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ",")))
  out:close()
end
`;
}

/** Runs wrk (`wrkPath`) for `spec`: one thread, `concurrency` connections, `durationMs` rounded to whole seconds. */
export async function runWrk(wrkPath: string, spec: WrkSpec): Promise<WrkResult> {
  const dir = await mkdtemp(join(tmpdir(), "olympus-wrk-"));
  try {
    const scriptPath = join(dir, "load.lua");
    const resultPath = join(dir, "result.json");
    await writeFile(scriptPath, wrkScript(spec, resultPath));
    const seconds = Math.max(1, Math.round(spec.durationMs / 1000));
    await promisify(execFile)(wrkPath, ["-t1", `-c${spec.concurrency}`, `-d${seconds}s`, "--latency", "-s", scriptPath, spec.url], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(await readFile(resultPath, "utf8")) as WrkResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
