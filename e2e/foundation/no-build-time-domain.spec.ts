import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const APPS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "apps");
const SKIP = new Set(["node_modules", "public"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith(".next")) return [];
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|mjs|js)$/.test(name) ? [file] : [];
  });
}

// NEXT_PUBLIC_* values and anything a client component reads from
// process.env are inlined at build time; the domain must stay runtime config.
test("app sources read no build-time domain", () => {
  const offenders = sourceFiles(APPS_DIR).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const isClient = /^\s*["']use client["']/.test(source);
    const hits: string[] = [];
    if (source.includes("NEXT_PUBLIC_")) hits.push(`${file}: uses NEXT_PUBLIC_*`);
    if (isClient && source.includes("process.env")) hits.push(`${file}: client component reads process.env`);
    return hits;
  });
  expect(offenders).toEqual([]);
});
