import { readFileSync } from "node:fs";
import { parse } from "yaml";

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };
export type YamlObject = { [key: string]: YamlValue };

export function isObject(value: unknown): value is YamlObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readYamlObject(file: string): YamlObject {
  const value: unknown = parse(readFileSync(file, "utf8"), { merge: true });
  if (!isObject(value)) throw new Error(`${file}: expected a YAML mapping at the top level`);
  return value;
}

/** Follows a dotted path (`session.cookie.name`) through nested mappings. */
export function at(root: YamlValue | undefined, dotted: string): YamlValue | undefined {
  let node: YamlValue | undefined = root;
  for (const key of dotted.split(".")) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Every string leaf with its dotted path, for sweeping a config for URLs. */
export function* stringLeaves(node: YamlValue | undefined, prefix = ""): Generator<[string, string]> {
  if (typeof node === "string") yield [prefix, node];
  else if (Array.isArray(node)) for (const [i, item] of node.entries()) yield* stringLeaves(item, `${prefix}[${i}]`);
  else if (isObject(node)) for (const [key, item] of Object.entries(node)) yield* stringLeaves(item, prefix ? `${prefix}.${key}` : key);
}
