/**
 * Refuses import cycles: runs madge over every workspace (apps/*, packages/*,
 * platform, e2e), each with its own tsconfig so path aliases such as `@/`
 * resolve, counting type-only imports too (a type cycle still couples the
 * modules). Prints every cycle and exits 1 if there is any.
 *
 *   tsx scripts/check-cycles.ts            (npm run check:cycles)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import madge from "madge";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Folders that hold no source of ours: dependencies, build output, generated files, test reports. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "coverage", "test-results", "playwright-report", ".turbo", ".git"]);
const isSkippedDir = (name: string) => SKIPPED_DIRS.has(name) || name.startsWith(".next");
const isSource = (name: string) => /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts");

function workspaces(): string[] {
  const manifest: unknown = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const patterns =
    typeof manifest === "object" && manifest !== null && "workspaces" in manifest && Array.isArray(manifest.workspaces)
      ? manifest.workspaces.filter((p): p is string => typeof p === "string")
      : [];
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isSkippedDir(entry.name)) out.push(...sourceFiles(full));
    } else if (entry.isFile() && isSource(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

async function cyclesOf(workspace: string): Promise<string[][]> {
  const dir = path.join(ROOT, workspace);
  const files = sourceFiles(dir);
  if (files.length === 0) return [];
  const tsConfig = path.join(dir, "tsconfig.json");
  const result = await madge(files, {
    baseDir: dir,
    fileExtensions: ["ts", "tsx"],
    ...(existsSync(tsConfig) ? { tsConfig } : {}),
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  return result.circular();
}

async function main(): Promise<void> {
  let total = 0;
  for (const workspace of workspaces()) {
    const cycles = await cyclesOf(workspace);
    total += cycles.length;
    for (const cycle of cycles) console.log(`${workspace}: ${[...cycle, cycle[0]].join(" > ")}`);
  }
  if (total > 0) {
    console.error(`\n${total} import cycle${total === 1 ? "" : "s"} found.`);
    process.exit(1);
  }
  console.log("No import cycles.");
}

void main();
