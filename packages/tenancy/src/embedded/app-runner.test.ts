import { mkdir, mkdtemp, readlink, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { APP_NODE_FLAGS, appCommand, standaloneDir } from "./app-runner";
import { appSelectionFlags, parseAppSelection, selects } from "./app-selection";

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function checkout(withStandalone: boolean): Promise<string> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "olympus-app-runner-")));
  roots.push(root);
  await mkdir(join(root, "apps", "hera", ".next", "static"), { recursive: true });
  await mkdir(join(root, "apps", "hera", "public"), { recursive: true });
  if (withStandalone) {
    await mkdir(join(standaloneDir("hera", root), ".next"), { recursive: true });
    await writeFile(join(standaloneDir("hera", root), "server.js"), "");
  }
  return root;
}

describe("how a tenant's app starts", () => {
  it("runs the build's standalone server, with the build's static files and public/ linked into it", async () => {
    const root = await checkout(true);
    const command = appCommand("hera", 25000, root);
    expect(command).toEqual({
      argv: [...APP_NODE_FLAGS, join(standaloneDir("hera", root), "server.js")],
      cwd: standaloneDir("hera", root),
    });
    const linked = async (path: string) =>
      resolve(join(standaloneDir("hera", root), path, ".."), await readlink(join(standaloneDir("hera", root), path)));
    expect(await linked(join(".next", "static"))).toBe(join(root, "apps", "hera", ".next", "static"));
    expect(await linked("public")).toBe(join(root, "apps", "hera", "public"));
    // Idempotent: the links exist now.
    expect(() => appCommand("hera", 25000, root)).not.toThrow();
  });

  it("falls back to `next start` on loopback for a build without a standalone server", async () => {
    const root = await checkout(false);
    const { argv, cwd } = appCommand("hera", 25000, root);
    expect(argv.slice(-5)).toEqual(["start", "-p", "25000", "-H", "127.0.0.1"]);
    expect(cwd).toBe(join(root, "apps", "hera"));
  });

  it("keeps WebAssembly (fetch's HTTP parser): no --jitless, no --lite-mode", () => {
    expect(APP_NODE_FLAGS.filter((flag) => flag === "--jitless" || flag === "--lite-mode")).toEqual([]);
  });
});

describe("which apps a tenant starts", () => {
  it("round-trips through the supervisor's flags", () => {
    for (const selection of [true, false, ["ciam-hera"], ["ciam-hera", "iam-athena"]] as const)
      expect(parseAppSelection(appSelectionFlags(selection))).toEqual(selection);
    expect(selects(["ciam-hera"], "ciam-hera")).toBe(true);
    expect(selects(["ciam-hera"], "iam-hera")).toBe(false);
    expect(() => parseAppSelection(["--apps=ciam-demo"])).toThrow(/unknown app/);
  });
});
