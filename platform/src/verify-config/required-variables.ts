import type { Problem } from "../problem";
import { stringLeaves, type YamlObject } from "../yaml";
import { resolveVariables, type Env } from "./env-file";

/** Variables with a check of their own in verify.ts; a second line would only repeat it. */
const CHECKED_ELSEWHERE = new Set(["ENCRYPTION_KEY", "OLYMPUS_DOMAIN"]);

/** The placeholder olympus.env.example ships with ("change-me"). */
function isExampleValue(value: string): boolean {
  return /change-?me/i.test(value);
}

/**
 * Every variable compose.yml needs without a default (${VAR:?…}, ${VAR?…},
 * ${VAR}, $VAR) must be in the env file, and none may keep the example
 * file's placeholder. One line per variable, where it is first needed.
 */
export function checkRequiredVariables(doc: YamlObject, label: string, env: Env): Problem[] {
  const missing = new Map<string, { where: string; count: number }>();
  const examples = new Map<string, string>();
  for (const [path, value] of stringLeaves(doc)) {
    // x-* extension fields are only templates; their uses are counted where they are used.
    if (path.startsWith("x-")) continue;
    const resolved = resolveVariables(value, env);
    for (const name of resolved.missing) {
      const seen = missing.get(name);
      if (seen) seen.count += 1;
      else missing.set(name, { where: `${label}:${path}`, count: 1 });
    }
    for (const name of resolved.used) {
      const given = env[name];
      if (given !== undefined && isExampleValue(given) && !examples.has(name)) examples.set(name, `${label}:${path}`);
    }
  }
  const problems: Problem[] = [];
  for (const [name, { where, count }] of missing) {
    if (CHECKED_ELSEWHERE.has(name)) continue;
    const more = count > 1 ? ` (also used in ${count - 1} more place${count > 2 ? "s" : ""})` : "";
    problems.push({ where, message: `needs ${name}, which the env file does not set${more}` });
  }
  for (const [name, where] of examples) {
    if (CHECKED_ELSEWHERE.has(name)) continue;
    problems.push({ where, message: `uses ${name}, which holds an example value; generate a real one (see olympus.env.example)` });
  }
  return problems;
}
