import { mkdir, mkdtemp, readlink, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { preparedStandaloneServer, standaloneDir } from "./next-standalone";

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function build(withStandalone: boolean): Promise<string> {
  const root = await realpath(await mkdtemp(join(tmpdir(), "olympus-next-standalone-")));
  roots.push(root);
  await mkdir(join(root, "apps", "athena", ".next", "static"), { recursive: true });
  await mkdir(join(root, "apps", "athena", "public"), { recursive: true });
  if (withStandalone) {
    await mkdir(join(standaloneDir("athena", root), ".next"), { recursive: true });
    await writeFile(join(standaloneDir("athena", root), "server.js"), "");
  }
  return root;
}

describe("a build's standalone server", () => {
  it("is served with the build's static files and public/, linked into its folder once", async () => {
    const root = await build(true);
    const dir = standaloneDir("athena", root);
    expect(preparedStandaloneServer("athena", root)).toBe(join(dir, "server.js"));
    const target = async (path: string) => resolve(join(dir, path, ".."), await readlink(join(dir, path)));
    expect(await target(join(".next", "static"))).toBe(join(root, "apps", "athena", ".next", "static"));
    expect(await target("public")).toBe(join(root, "apps", "athena", "public"));
    expect(preparedStandaloneServer("athena", root)).toBe(join(dir, "server.js"));
  });

  it('is absent from a build made without `output: "standalone"`', async () => {
    expect(preparedStandaloneServer("athena", await build(false))).toBeUndefined();
  });
});
