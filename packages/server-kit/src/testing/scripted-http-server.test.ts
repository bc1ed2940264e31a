import { describe, expect, it } from "vitest";
import { startScriptedHttpServer, useScriptedHttpServer } from "./scripted-http-server";

const server = useScriptedHttpServer();

describe("startScriptedHttpServer", () => {
  it("answers an unscripted path with an empty 404 and a scripted one as scripted, replacing earlier scripts", async () => {
    expect(server.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const unscripted = await fetch(`${server.base}/nothing`);
    expect([unscripted.status, await unscripted.text()]).toEqual([404, ""]);
    server.script("/fixed", { status: 201, body: "made", headers: { "X-Kind": "fixed" } });
    const fixed = await fetch(`${server.base}/fixed`);
    expect([fixed.status, await fixed.text(), fixed.headers.get("x-kind")]).toEqual([201, "made", "fixed"]);
    server.script("/fixed", (request, res) => res.writeHead(200).end(`${request.method} ${request.nth} ${request.body}`));
    expect(await (await fetch(`${server.base}/fixed`, { method: "PUT", body: "payload" })).text()).toBe("PUT 2 payload");
  });

  it("records every request per path and query, oldest first, with its body and arrival time", async () => {
    const before = Date.now();
    await fetch(`${server.base}/recorded?a=1`, { method: "POST", body: "one", headers: { "X-Test": "yes" } });
    await fetch(`${server.base}/recorded?a=1`);
    const [first, second] = server.requests("/recorded?a=1");
    expect(first).toMatchObject({ method: "POST", path: "/recorded?a=1", body: "one", nth: 1, headers: { "x-test": "yes" } });
    expect(second).toMatchObject({ method: "GET", body: "", nth: 2 });
    expect(first!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(server.requests("/recorded")).toEqual([]);
  });

  it("closes even while a handler leaves a request unanswered", async () => {
    const own = await startScriptedHttpServer();
    own.script("/hanging", () => undefined);
    const pending = fetch(`${own.base}/hanging`).catch((e: unknown) => e);
    await expect.poll(() => own.requests("/hanging").length).toBe(1);
    await own.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });
});
