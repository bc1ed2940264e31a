import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { findWrk, luaString, runWrk } from "./wrk";

const wrk = findWrk();

describe("luaString", () => {
  it("escapes quotes, backslashes, control characters and non-ASCII bytes as decimal escapes", () => {
    expect(luaString('a"b\\c\n')).toBe('"a\\034b\\092c\\010"');
    expect(luaString("é")).toBe('"\\195\\169"');
  });
});

// wrk is an optional tool (apt install wrk): the benches fall back to a Node generator without it.
describe.skipIf(!wrk)("runWrk", () => {
  it("cycles through the requests, counts unexpected statuses as errors and keeps sample bodies", async () => {
    const seen = new Map<string, number>();
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const key = `${String(req.headers["x-lane"])} ${req.method ?? ""} ${body}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        res.writeHead(req.headers["x-lane"] === "refused" ? 401 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ body, quoted: '"\n\\' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const result = await runWrk(wrk ?? "", {
        url,
        method: "POST",
        headerSets: [{ "x-lane": "one" }, { "x-lane": "refused" }],
        bodies: ["a=1", "a=2"],
        concurrency: 2,
        durationMs: 1000,
        expectStatus: 200,
        samples: 5,
      });
      expect(result.count).toBeGreaterThan(0);
      expect([...seen.keys()].sort()).toEqual(["one POST a=1", "refused POST a=2"]);
      // Requests still in flight when wrk stops reach the server uncounted: at most one per connection.
      const refused = seen.get("refused POST a=2") ?? 0;
      expect(result.errors).toBeGreaterThan(0);
      expect(refused - result.errors).toBeGreaterThanOrEqual(0);
      expect(refused - result.errors).toBeLessThanOrEqual(2);
      expect(result.samples).toHaveLength(5);
      expect(JSON.parse(result.samples[0] ?? "")).toEqual({ body: "a=1", quoted: '"\n\\' });
      expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    } finally {
      server.close();
    }
  });
});
