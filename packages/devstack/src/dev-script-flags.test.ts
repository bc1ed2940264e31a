import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { IDLE_GC_MODULE, SERVER_NODE_FLAGS, SERVER_V8_FLAGS } from "@olympus/server-kit/node-flags";

const PACKAGE_JSON = new URL("../package.json", import.meta.url);

/** The `dev` script's words, a preloaded package module read as the URL node resolves it to from the package folder. */
function devScript(): string[] {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { scripts: Record<string, string> };
  const resolve = createRequire(PACKAGE_JSON).resolve;
  return (pkg.scripts.dev ?? "").split(/\s+/).map((word) => (word.startsWith("@olympus/") ? pathToFileURL(resolve(word)).href : word));
}

describe("the dev backend's node flags", () => {
  it("are what the package's dev script runs the CLI with (npm run dev)", () => {
    expect(devScript()).toEqual(["node", ...SERVER_NODE_FLAGS, "--import", "tsx", "src/cli.ts"]);
  });

  it("preload the idle collection, which needs --expose-gc", () => {
    expect(SERVER_NODE_FLAGS.slice(-2)).toEqual(["--import", IDLE_GC_MODULE]);
    expect(SERVER_V8_FLAGS).toContain("--expose-gc");
  });

  it("let the young generation grow under load: --optimize-for-size would pin it at 1 MB", () => {
    expect(SERVER_V8_FLAGS).not.toContain("--optimize-for-size");
    expect(SERVER_V8_FLAGS.some((flag) => /^--max-semi-space-size=(1[6-9]|[2-9]\d)$/.test(flag))).toBe(true);
  });
});
