import { describe, expect, it } from "vitest";
import { startFloorServer } from "./floor-server";

describe("startFloorServer", () => {
  it("answers with the handler alone on a loopback port and releases its resources on close", async () => {
    let released = false;
    const floor = await startFloorServer(
      (_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}'),
      () => {
        released = true;
        return Promise.resolve();
      },
    );
    expect(floor.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(floor.url);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("x-content-type-options")).toBeNull();
    await floor.close();
    expect(released).toBe(true);
    await expect(fetch(floor.url)).rejects.toThrow();
  });
});
