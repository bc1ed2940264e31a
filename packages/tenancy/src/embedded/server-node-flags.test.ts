import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./files";

/** The node options of packages/devstack's `dev` script (`node <options> --import tsx src/cli.ts`). */
function devstackDevFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../../../devstack/package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = (pkg.scripts.dev ?? "").split(/\s+/).slice(1);
  return words.slice(0, words.indexOf("--import"));
}

describe("the supervisor's node flags (it hosts the tenant's embedded Kratos and Hydra)", () => {
  it("are the dev stack backend's, which the embedded Kratos bench also runs with", () => {
    expect(SERVER_NODE_FLAGS).toEqual(devstackDevFlags());
  });

  it("let the young generation grow under load: --optimize-for-size would pin it at 1 MB", () => {
    expect(SERVER_NODE_FLAGS).not.toContain("--optimize-for-size");
    expect(SERVER_NODE_FLAGS.some((flag) => /^--max-semi-space-size=(1[6-9]|[2-9]\d)$/.test(flag))).toBe(true);
  });
});
