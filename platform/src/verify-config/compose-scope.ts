import { existsSync } from "node:fs";
import path from "node:path";
import type { Problem } from "../problem";
import { isObject, type YamlObject } from "../yaml";

/** Files `docker compose` merges into compose.yml on its own when they sit beside it. */
const OVERRIDE_FILES = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];
/** Compose looks for compose.yaml before compose.yml: with both present it runs the other one. */
const PREFERRED_FILES = ["compose.yaml"];

/**
 * verify-config checks compose.yml alone, so nothing else may decide what
 * `docker compose up` runs: no override file beside it, no file that wins
 * over it, no `include:` and no `extends:`.
 */
export function checkComposeScope(dir: string, doc: YamlObject, label: string, rel: (file: string) => string): Problem[] {
  const problems: Problem[] = [];
  for (const name of OVERRIDE_FILES) {
    const file = path.join(dir, name);
    if (existsSync(file))
      problems.push({
        where: rel(file),
        message: "docker compose would merge it into compose.yml unchecked; move its settings into compose.yml",
      });
  }
  for (const name of PREFERRED_FILES) {
    const file = path.join(dir, name);
    if (existsSync(file))
      problems.push({ where: rel(file), message: "docker compose would run it instead of compose.yml, unchecked; remove it" });
  }
  if (doc.include !== undefined)
    problems.push({
      where: `${label}:include`,
      message: "pulls in other Compose files verify-config does not check; write their services into compose.yml",
    });
  for (const [name, service] of Object.entries(isObject(doc.services) ? doc.services : {})) {
    if (isObject(service) && service.extends !== undefined) {
      problems.push({
        where: `${label}:services.${name}.extends`,
        message: "inherits configuration the checks would not see merged; write the service out in full",
      });
    }
  }
  return problems;
}
