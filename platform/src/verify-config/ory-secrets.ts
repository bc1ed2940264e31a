import type { Problem } from "../problem";
import { at } from "../yaml";
import type { ComposeService } from "./compose-model";
import type { OryKind, OryOverlay } from "./ory-environment";

interface SecretRule {
  key: string;
  /** Characters (JSON Schema counts code points), as the binary's config schema bounds each entry. */
  min: number;
  max?: number;
  /** Besides the length: a hint for making a good one. */
  recipe?: string;
}

/**
 * What Kratos' and Hydra's config schemas accept for the secrets this project
 * sets: each cipher secret exactly 32 characters (XChaCha20-Poly1305 takes it
 * as the key), every other secret at least 16. Either binary refuses to
 * start on anything else.
 */
const RULES: Record<OryKind, readonly SecretRule[]> = {
  kratos: [
    { key: "secrets.default", min: 16 },
    { key: "secrets.cookie", min: 16 },
    { key: "secrets.cipher", min: 32, max: 32, recipe: "make one with openssl rand -hex 16" },
  ],
  hydra: [
    { key: "secrets.system", min: 16 },
    { key: "secrets.cookie", min: 16 },
  ],
};

/** Secrets each binary must be given: Kratos encrypts with the cipher secret (ciphers.algorithm), Hydra everything with the system secret. */
const REQUIRED: Record<OryKind, readonly string[][]> = {
  kratos: [["secrets.cipher"], ["secrets.cookie", "secrets.default"]],
  hydra: [["secrets.system"]],
};

/** The config-schema bounds of every secret, whether from the file, the Compose file or the env file. */
export function checkOrySecrets(kind: OryKind, overlay: OryOverlay, service: ComposeService, fileLabel: string): Problem[] {
  const problems: Problem[] = [];
  for (const rule of RULES[kind]) {
    const origin = overlay.origins.get(rule.key);
    const value = at(overlay.config, rule.key);
    const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const [index, entry] of entries.entries()) {
      const name = `${rule.key}[${index}]`;
      // An entry of its own (SECRETS_CIPHER_1) is reported on that variable.
      const own = overlay.origins.get(`${rule.key}.${index}`) ?? origin;
      const length = typeof entry === "string" ? [...entry].length : -1;
      const fault =
        length < 0
          ? "must be a string"
          : rule.max === rule.min && length !== rule.min
            ? `must be exactly ${rule.min} characters (${kind === "kratos" ? "Kratos'" : "Hydra's"} config schema), got ${length}`
            : length < rule.min
              ? `must be at least ${rule.min} characters, got ${length}`
              : undefined;
      if (!fault) continue;
      const source = own && own.entry.from.length > 0 ? ` (from ${own.entry.from.join(", ")})` : "";
      const recipe = rule.recipe ? `; ${rule.recipe}` : "";
      if (own) problems.push({ where: own.entry.where, message: `${name} ${fault}${source}${recipe}` });
      else problems.push({ where: `${fileLabel}:${name}`, message: `${fault}${recipe}` });
    }
  }
  for (const alternatives of REQUIRED[kind]) {
    const given = alternatives.some((k) => {
      const value = at(overlay.config, k);
      // A variable the env file lacks is reported as missing, not as a secret never given.
      return (Array.isArray(value) && value.length > 0) || [...overlay.unresolved].some((path) => path === k || path.startsWith(`${k}.`));
    });
    if (!given) {
      problems.push({
        where: `${service.where}.environment`,
        message: `${alternatives.join(" (or ")}${alternatives.length > 1 ? ")" : ""} is not set; give it through ${envName(alternatives[0] ?? "")} from the env file`,
      });
    }
  }
  return problems;
}

function envName(key: string): string {
  return key.toUpperCase().replace(/\./g, "_");
}
