import { describe, expect, it } from "vitest";
import { settlesWithin, whenAborted } from "./wait";

describe("waiting helpers", () => {
  it("reacts to an abort that happened before it listened (Ctrl-C during an earlier await)", () => {
    const early = new AbortController();
    early.abort();
    let calls = 0;
    whenAborted(early.signal, () => calls++);
    expect(calls).toBe(1);

    const later = new AbortController();
    const unsubscribe = whenAborted(later.signal, () => calls++);
    later.abort();
    expect(calls).toBe(2);
    unsubscribe();
  });

  it("tells whether a promise settled in time", async () => {
    expect(await settlesWithin(Promise.resolve(), 1000)).toBe(true);
    expect(await settlesWithin(new Promise(() => {}), 20)).toBe(false);
  });
});
