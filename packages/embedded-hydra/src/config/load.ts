import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { hydraConfigSchema, type HydraConfig } from "./schema";

export type { HydraConfig };

/** Thrown when the config file cannot be read or holds an invalid value. */
export class HydraConfigError extends Error {
  override name = "HydraConfigError";
}

/** Follows optional/default/prefault/pipe wrappers down to the object schema, if any. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof z.ZodObject) return current.shape;
    const def = current.def as { innerType?: z.ZodType; in?: z.ZodType };
    const next = def.innerType ?? def.in;
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

/** Lists dotted paths present in the file that the schema does not describe. */
export function unknownKeys(raw: unknown, schema: z.ZodType = hydraConfigSchema, prefix = ""): string[] {
  const shape = objectShape(schema);
  if (!shape || raw === null || typeof raw !== "object" || Array.isArray(raw)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const child = shape[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (!child) found.push(path);
    else found.push(...unknownKeys(value, child, path));
  }
  return found;
}

/** Validates an already-parsed config object (a YAML document's contents). */
export function parseHydraConfig(raw: unknown, source = "config", warn: (line: string) => void = defaultWarn): HydraConfig {
  const result = hydraConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new HydraConfigError(`invalid Hydra config ${source}: ${problems.join("; ")}`);
  }
  const unknown = unknownKeys(raw);
  if (unknown.length > 0) warn(`embedded-hydra: ignoring unsupported config keys in ${source}: ${unknown.join(", ")}`);
  return result.data;
}

function defaultWarn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Reads and validates a Hydra YAML config file (the same file real Hydra reads). */
export async function loadHydraConfig(path: string, warn?: (line: string) => void): Promise<HydraConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new HydraConfigError(`cannot read Hydra config ${path}: ${(cause as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new HydraConfigError(`Hydra config ${path} is not valid YAML: ${(cause as Error).message}`);
  }
  return parseHydraConfig(raw, path, warn);
}

/**
 * Hydra in development mode (`--dev`) appends `_dev` to every cookie name it
 * is configured with (driver/config/provider.go cookieSuffix: the session,
 * login, consent and device CSRF cookies).
 */
export function withDevCookieNames(config: HydraConfig): HydraConfig {
  const names = config.serve.cookies.names;
  const dev = (name: string) => `${name}_dev`;
  return {
    ...config,
    serve: {
      ...config.serve,
      cookies: {
        ...config.serve.cookies,
        names: {
          login_csrf: dev(names.login_csrf),
          consent_csrf: dev(names.consent_csrf),
          session: dev(names.session),
          device_csrf: dev(names.device_csrf),
        },
      },
    },
  };
}
