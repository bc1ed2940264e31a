import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

export type Env = Readonly<Record<string, string>>;

/** Reads a dotenv file (KEY=value lines, # comments) as Compose's --env-file does. */
export function readEnvFile(file: string): Record<string, string> {
  const parsed = parseEnv(readFileSync(file, "utf8"));
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export interface Interpolation {
  /** The text with every variable `env` could supply replaced; a reference it could not is left as written. */
  value: string;
  /** Every variable the text refers to, in order of first use. */
  used: string[];
  /** Variables Compose needs and `env` lacks: ${VAR}, $VAR, ${VAR:?…}, ${VAR?…} (and empty for :?). */
  missing: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Compose's interpolation of compose.yml: `$$` is a literal `$`; `$VAR`,
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`, `${VAR:+alternative}` and `${VAR+alternative}`, with
 * defaults that may hold further references. Compose itself would turn a
 * missing `${VAR}` into "" with a warning; here it stays as written and is
 * listed in `missing`, so a check never mistakes an unset secret for a value.
 */
export function resolveVariables(text: string, env: Env): Interpolation {
  const used = new Set<string>();
  const missing = new Set<string>();
  const value = expand(text, env, used, missing);
  return { value, used: [...used], missing: [...missing] };
}

/** resolveVariables' text alone. */
export function interpolate(value: string, env: Env): string {
  return resolveVariables(value, env).value;
}

function expand(text: string, env: Env, used: Set<string>, missing: Set<string>): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "$") {
      out += text[i];
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const end = closingBrace(text, i + 1);
      if (end < 0) return out + text.slice(i); // Compose refuses an unclosed ${; nothing to resolve
      out += expandBraced(text.slice(i + 2, end), text.slice(i, end + 1), env, used, missing);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) {
        out += "$";
        i += 1;
        continue;
      }
      used.add(name);
      const value = env[name];
      if (value === undefined) missing.add(name);
      out += value ?? `$${name}`;
      i += 1 + name.length;
    }
  }
  return out;
}

function expandBraced(body: string, written: string, env: Env, used: Set<string>, missing: Set<string>): string {
  const name = NAME.exec(body)?.[0];
  if (!name) return written;
  used.add(name);
  const value = env[name];
  const rest = body.slice(name.length);
  if (rest === "") {
    if (value !== undefined) return value;
    missing.add(name);
    return written;
  }
  const modifier = /^(:?)([-?+])/.exec(rest);
  if (!modifier) return written;
  const argument = rest.slice(modifier[0].length);
  // With the colon, an empty value counts as unset.
  const isSet = modifier[1] === ":" ? value !== undefined && value !== "" : value !== undefined;
  switch (modifier[2]) {
    case "-": {
      if (isSet) return value ?? "";
      const before = missing.size;
      const fallback = expand(argument, env, used, missing);
      return missing.size > before ? written : fallback;
    }
    case "+":
      return isSet ? expand(argument, env, used, missing) : "";
    default: // "?"
      if (isSet) return value ?? "";
      missing.add(name);
      return written;
  }
}

/** Index of the `}` closing the `{` at `open`, counting nested `${…}`; -1 when unclosed. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
