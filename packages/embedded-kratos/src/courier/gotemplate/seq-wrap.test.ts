import { describe, expect, it } from "vitest";
import { compileTemplate, DEFAULT_LIMITS } from "./index";

/**
 * sprig numeric.go untilStep counts with Go ints, which wrap past int64's
 * ends: these never reach END in Go (it loops until memory runs out).
 * Each item spends a step, so the template's step cap stops the loop with
 * the engine's own error instead of the process running out of heap.
 */
describe("seq whose count wraps around int64", () => {
  it.each([
    "{{ seq 9223372036854775798 4611686018427387904 9223372036854775806 }}",
    "{{ seq -9223372036854775798 -4611686018427387904 -9223372036854775806 }}",
  ])("%s stops at the step cap", (source) => {
    const limits = { ...DEFAULT_LIMITS, maxSteps: 10_000 };
    expect(() => compileTemplate(source, "t", { limits }).render(null)).toThrow("execution stopped after 10000 steps");
  });
});
