import { describe, expect, it } from "vitest";
import { BatchedLookup } from "./batched-lookup";

/** A lookup whose queries are recorded and answered by hand. */
function recordedLookup(options = { maxBatch: 256, maxInFlight: 1 }) {
  const queries: { keys: string[]; answer: (found: Map<string, string>) => void; fail: (error: Error) => void }[] = [];
  const lookup = new BatchedLookup<string>(
    (keys) => new Promise((resolve, reject) => queries.push({ keys, answer: resolve, fail: reject })),
    options,
  );
  return { lookup, queries };
}

const turn = () => new Promise((r) => setImmediate(r));

describe("batched lookups (one round trip for concurrent requests, nothing cached)", () => {
  it("sends the keys asked for in one turn of the event loop as one query, and answers each its own", async () => {
    const { lookup, queries } = recordedLookup();
    const answers = Promise.all(["a", "b", "a", "c"].map((key) => lookup.load(key)));
    await turn();
    expect(queries.map((q) => q.keys)).toEqual([["a", "b", "c"]]);
    queries[0]?.answer(
      new Map([
        ["a", "A"],
        ["c", "C"],
      ]),
    );
    expect(await answers).toEqual(["A", undefined, "A", "C"]);
  });

  it("answers a key asked for while a query is out from a later query, never from the earlier one's result", async () => {
    const { lookup, queries } = recordedLookup();
    const first = lookup.load("a");
    await turn();
    const second = lookup.load("a");
    await turn();
    expect(queries).toHaveLength(1);
    queries[0]?.answer(new Map([["a", "before"]]));
    expect(await first).toBe("before");
    await turn();
    await turn();
    expect(queries.map((q) => q.keys)).toEqual([["a"], ["a"]]);
    queries[1]?.answer(new Map());
    expect(await second).toBeUndefined();
  });

  it("fails every lookup of a batch whose query fails, and keeps serving later ones", async () => {
    const { lookup, queries } = recordedLookup();
    const failed = Promise.allSettled([lookup.load("a"), lookup.load("b")]);
    await turn();
    queries[0]?.fail(new Error("database away"));
    expect((await failed).map((r) => r.status)).toEqual(["rejected", "rejected"]);
    const later = lookup.load("a");
    await turn();
    queries[1]?.answer(new Map([["a", "A"]]));
    expect(await later).toBe("A");
  });

  it("gives the second and later waiters for one key their own copy when asked to", async () => {
    const queries: ((found: Map<string, { n: number }>) => void)[] = [];
    const lookup = new BatchedLookup<{ n: number }>((_keys) => new Promise((resolve) => queries.push(resolve)), {
      maxBatch: 8,
      maxInFlight: 1,
      copy: structuredClone,
    });
    const both = Promise.all([lookup.load("a"), lookup.load("a")]);
    await turn();
    queries[0]?.(new Map([["a", { n: 1 }]]));
    const [first, second] = await both;
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it("keeps batches within maxBatch keys", async () => {
    const { lookup, queries } = recordedLookup({ maxBatch: 2, maxInFlight: 4 });
    void Promise.all(["a", "b", "c", "d", "e"].map((key) => lookup.load(key)));
    await turn();
    expect(queries.map((q) => q.keys)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    for (const q of queries) q.answer(new Map());
  });
});
