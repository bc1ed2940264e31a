import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { assertPortsFree, isPortFree } from "./ports";

describe("port checks", () => {
  let blocker: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  it("fails with one message naming the taken port and the service meant for it", async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, "127.0.0.1", resolve));
    expect(await isPortFree(port)).toBe(false);
    const asserting = assertPortsFree([{ port, service: "IAM Kratos admin API" }]);
    await expect(asserting).rejects.toMatchObject({ kind: "port-in-use" });
    await expect(asserting).rejects.toThrow(new RegExp(`^port ${port} \\(IAM Kratos admin API\\) is already in use`));
  });

  it("passes when every port is free and refuses one port claimed twice", async () => {
    const [a, b] = [await freePort(), await freePort()];
    await expect(
      assertPortsFree([
        { port: a, service: "A" },
        { port: b, service: "B" },
      ]),
    ).resolves.toBeUndefined();
    await expect(
      assertPortsFree([
        { port: a, service: "A" },
        { port: a, service: "B" },
      ]),
    ).rejects.toThrow(/configured for both A and B/);
  });
});
