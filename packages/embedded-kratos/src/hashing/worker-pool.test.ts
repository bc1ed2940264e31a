import { afterEach, describe, expect, it } from "vitest";
import { HashWorkerPool } from "./worker-pool";

describe("the hash worker pool", () => {
  let pool: HashWorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it("starts no worker until there is something to hash, then at most one per concurrent task up to its size", async () => {
    pool = new HashWorkerPool(2);
    expect(pool.running).toBe(0);
    await pool.run({ op: "bcrypt-hash", password: "x", cost: 4 });
    expect(pool.running).toBe(1);
    const busy = pool;
    await Promise.all(Array.from({ length: 6 }, () => busy.run({ op: "bcrypt-hash", password: "x", cost: 4 })));
    expect(pool.running).toBe(2);
  });

  it("stops workers that sit idle, and starts one again when work comes", async () => {
    pool = new HashWorkerPool(2, 200);
    const hash = await pool.run({ op: "bcrypt-hash", password: "correct", cost: 4 });
    expect(pool.running).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(pool.running).toBe(0);
    expect(await pool.run({ op: "bcrypt-verify", password: "correct", hash })).toBe(true);
    expect(pool.running).toBe(1);
  });
});
