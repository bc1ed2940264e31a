import { isPlainObject } from "../config/unknown-keys";

/** The `ory.sh/kratos` extension block of one trait. */
export interface KratosTraitExtension {
  credentials?: {
    password?: { identifier?: boolean };
    code?: { identifier?: boolean; via?: string };
    webauthn?: { identifier?: boolean };
    passkey?: { display_name?: boolean };
    totp?: { account_name?: boolean };
  };
  verification?: { via?: string };
  recovery?: { via?: string };
}

/** One leaf of `traits` as the UI and the extension keys see it. */
export interface TraitPath {
  /** Dotted name, e.g. `traits.name.first`. */
  name: string;
  /** Path below `traits`, e.g. ["name", "first"]. */
  segments: string[];
  type: string;
  format?: string;
  pattern?: string;
  title?: string;
  required: boolean;
  extension: KratosTraitExtension;
}

type Obj = Record<string, unknown>;

/** More `$ref`s than this in one chain is no schema anyone writes; the walk stops there. */
const MAX_REF_CHAIN = 32;

/**
 * The trait leaves of a schema document (none when it declares no
 * `properties.traits` object), as ory/x jsonschemax.ListPaths finds them
 * for ui/container NodesFromJSONSchema. A `$ref` to `#` or a `#/…` pointer
 * in the same document is followed: ory/jsonschema's compileMap ignores
 * every other keyword beside a `$ref` (draft-07), and listPaths takes the
 * target's type, format, pattern and title, while `required` is read from
 * the schema holding the `$ref` — which has none — so a trait behind a
 * `$ref` is never a required input (its validation still requires it).
 */
export function traitPathsOf(document: Obj): TraitPath[] {
  const properties = isPlainObject(document.properties) ? document.properties : {};
  return isPlainObject(properties.traits) ? collectPaths(document, properties.traits, [], []) : [];
}

/**
 * `seen`: the `$ref` targets on the way down. A schema that reaches one of
 * them again is recursive; Kratos' ListPaths fails the form ("detected
 * circular dependency"), here the walk stops below it (see the README).
 */
function collectPaths(document: Obj, node: Obj, segments: string[], seen: readonly Obj[]): TraitPath[] {
  const out: TraitPath[] = [];
  const resolved = followLocalRefs(document, node, seen);
  if (resolved === undefined) return out;
  const { schema, followed } = resolved;
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((r): r is string => typeof r === "string") : [];
  const below = [...seen, ...followed];
  for (const [key, written] of Object.entries(properties)) {
    if (!isPlainObject(written)) continue;
    const path = [...segments, key];
    const target = followLocalRefs(document, written, below);
    if (target === undefined) continue;
    const child = target.schema;
    const type = Array.isArray(child.type) ? String(child.type[0]) : typeof child.type === "string" ? child.type : "string";
    if (type === "object" && isPlainObject(child.properties)) {
      out.push(...collectPaths(document, written, path, below));
      continue;
    }
    // The extension block is read as written, like the rest of the schema document.
    const ext = child["ory.sh/kratos"];
    out.push({
      name: ["traits", ...path].join("."),
      segments: path,
      type,
      format: typeof child.format === "string" ? child.format : undefined,
      pattern: typeof child.pattern === "string" ? child.pattern : undefined,
      title: typeof child.title === "string" ? child.title : undefined,
      // listPaths' parent for a `$ref` target is the schema holding the `$ref`, which has no `required`.
      required: target.followed.length === 0 && required.includes(key),
      extension: isPlainObject(ext) ? ext : {},
    });
  }
  return out;
}

/**
 * The schema a node stands for once its same-document `$ref`s are followed,
 * with the targets passed through; undefined when a target is missing or
 * was already on the way (a cycle). A `$ref` to another document is left
 * as written (see the README).
 */
function followLocalRefs(document: Obj, node: Obj, seen: readonly Obj[]): { schema: Obj; followed: Obj[] } | undefined {
  let schema = node;
  const followed: Obj[] = [];
  while (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) {
    const target = resolvePointer(document, schema.$ref.slice(1));
    if (target === undefined || seen.includes(target) || followed.includes(target) || followed.length >= MAX_REF_CHAIN) return undefined;
    followed.push(target);
    schema = target;
  }
  return { schema, followed };
}

/** The object at a JSON pointer written as a URL fragment (`/definitions/a%20b`, `~0`, `~1`). */
function resolvePointer(document: Obj, pointer: string): Obj | undefined {
  if (pointer === "" || pointer === "/") return document;
  if (!pointer.startsWith("/")) return undefined;
  let at: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    let token: string;
    try {
      token = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    token = token.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at) && /^(0|[1-9][0-9]*)$/.test(token)) at = at[Number(token)];
    else if (isPlainObject(at) && Object.hasOwn(at, token)) at = at[token];
    else return undefined;
  }
  return isPlainObject(at) ? at : undefined;
}
