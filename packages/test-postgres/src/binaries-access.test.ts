import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { grantSearchOnAncestors } from "./binaries-access";

describe("grantSearchOnAncestors", () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("adds search permission for others to private ancestors only, and nothing else", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "olympus-access-")); // 0700, like `mktemp -d`
    made.push(root);
    const open = path.join(root, "open");
    await mkdir(path.join(open, "bin"), { recursive: true, mode: 0o755 });
    const file = path.join(open, "bin", "initdb");
    await writeFile(file, "");

    const granted = await grantSearchOnAncestors(file);
    expect(granted).toEqual([root]);
    expect((await stat(root)).mode & 0o777).toBe(0o701); // enter, not list
    expect(await grantSearchOnAncestors(file)).toEqual([]); // already reachable: no change
  });
});
