import { describe, expect, it } from "vitest";
import { SessionStore } from "./sessions";

function store(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000;
  const sessions = new SessionStore<string>({ ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries ?? 100, now: () => now });
  return { sessions, advance: (ms: number) => (now += ms) };
}

describe("SessionStore", () => {
  it("keys entries by unguessable, distinct 256-bit ids", () => {
    const { sessions } = store();
    const a = sessions.create("a");
    const b = sessions.create("b");
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(sessions.get(a)).toBe("a");
    expect(sessions.get("not-an-id")).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
  });

  it("forgets an entry once its lifetime is over", () => {
    const { sessions, advance } = store({ ttlMs: 1_000 });
    const id = sessions.create("a");
    advance(999);
    expect(sessions.get(id)).toBe("a");
    advance(1);
    expect(sessions.get(id)).toBeUndefined();
  });

  it("hands out a taken entry only once", () => {
    const { sessions } = store();
    const id = sessions.create("pending");
    expect(sessions.take(id)).toBe("pending");
    expect(sessions.take(id)).toBeUndefined();
    expect(sessions.get(id)).toBeUndefined();
  });

  it("stays within maxEntries, dropping expired entries and then the oldest", () => {
    const { sessions, advance } = store({ ttlMs: 1_000, maxEntries: 3 });
    const first = sessions.create("1");
    advance(2_000);
    const second = sessions.create("2");
    const third = sessions.create("3");
    expect(sessions.size).toBe(2);
    expect(sessions.get(first)).toBeUndefined();
    sessions.create("4");
    const fifth = sessions.create("5");
    expect(sessions.size).toBe(3);
    expect(sessions.get(second)).toBeUndefined();
    expect(sessions.get(third)).toBe("3");
    expect(sessions.get(fifth)).toBe("5");
  });
});
