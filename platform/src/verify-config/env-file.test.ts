import { describe, expect, it } from "vitest";
import { resolveVariables } from "./env-file";

const env = { SET: "value", EMPTY: "" };

/** Compose's interpolation rules, as `docker compose` applies them to compose.yml. */
describe("resolveVariables", () => {
  it.each([
    ["${SET}", "value", []],
    ["$SET/x", "value/x", []],
    ["$$SET", "$SET", []],
    ["${UNSET:-fallback}", "fallback", []],
    ["${EMPTY:-fallback}", "fallback", []],
    ["${EMPTY-fallback}", "", []],
    ["${SET:+alt}", "alt", []],
    ["${UNSET:+alt}", "", []],
    ["${UNSET:-${SET}}", "value", []],
    ["${UNSET:-${ALSO_UNSET}}", "${UNSET:-${ALSO_UNSET}}", ["ALSO_UNSET"]],
    ["${UNSET}", "${UNSET}", ["UNSET"]],
    ["$UNSET", "$UNSET", ["UNSET"]],
    ["${UNSET:?set it}", "${UNSET:?set it}", ["UNSET"]],
    ["${EMPTY:?set it}", "${EMPTY:?set it}", ["EMPTY"]],
    ["${EMPTY?set it}", "", []],
  ])("%s becomes %j", (text, value, missing) => {
    const result = resolveVariables(text, env);
    expect(result.missing).toEqual(missing);
    if (missing.length === 0) expect(result.value).toBe(value);
  });

  it("lists the variables a value was built from", () => {
    expect(resolveVariables("postgres://u:${PW:?}@h/${DB:-d}", { PW: "x" }).used).toEqual(["PW", "DB"]);
  });
});
