import { describe, expect, it } from "vitest";
import { startedForSuite } from "./started-for-suite";

const stopped: string[] = [];
let askedEarly: unknown;

describe("a block using startedForSuite", () => {
  const current = startedForSuite(
    "the thing",
    () => Promise.resolve("started"),
    (value) => {
      stopped.push(value);
      return Promise.resolve();
    },
  );
  try {
    current();
  } catch (error) {
    askedEarly = error;
  }

  it("hands out what start gave from the first test on, and nothing is stopped yet", () => {
    expect(current()).toBe("started");
    expect(stopped).toEqual([]);
  });

  it("names the thing when it is asked for while the tests are still being collected", () => {
    expect(askedEarly).toEqual(new Error("the thing is used before its beforeAll started it"));
  });
});

describe("after that block", () => {
  it("stopped what was started once, when the block ended", () => {
    expect(stopped).toEqual(["started"]);
  });
});
