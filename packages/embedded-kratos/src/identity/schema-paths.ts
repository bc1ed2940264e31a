import { isPlainObject } from "../config/unknown-keys";
import { numberText } from "./jsonschema/json-number";
import type { Schema } from "./jsonschema/compile";
import { type KratosTraitExtension, MAX_SCHEMA_VISITS, type TraitPathsFailure } from "./trait-paths";

/**
 * ory/x jsonschemax TypeHint as far as the forms read it: `json` paths get
 * no input (NodesFromJSONSchema skips them), the others an input typed by
 * their prototype (toFormType: number, checkbox, else text).
 */
export type PathTypeHint = "string" | "float" | "int" | "bool" | "json" | "nil" | "slice" | "none";

/** One path of an identity schema as jsonschemax.ListPaths lists it. */
export interface SchemaPath {
  /** Dotted name from the document's root, e.g. `traits.email`. */
  name: string;
  /** The name's segments from the root, e.g. ["traits", "email"]. */
  segments: string[];
  typeHint: PathTypeHint;
  format?: string;
  pattern?: string;
  title?: string;
  required: boolean;
  /** Whether the schema gave a `default` (the merge by name keeps the first path with one). */
  hasDefault: boolean;
  extension: KratosTraitExtension;
}

export interface SchemaPathListing {
  paths: SchemaPath[];
  failure?: TraitPathsFailure;
}

/** Go's string order: the bytes of the UTF-8 text. */
const goCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const MAX_DEPTH = 256;

/**
 * jsonschemax.ListPaths (oryx/jsonschemax/keys.go runPaths, as Kratos
 * v26.2.0 vendors it) over the compiled identity schema, the list the forms
 * (ui/container NodesFromJSONSchema) and the login identifier label
 * (GetIdentifierLabelFromSchema) are built from. The walk starts at the
 * document's root, so properties beside `traits` are listed too, and
 * descends, in listPaths' order, into `$ref`, `not`, `if`, `then`, `else`,
 * `allOf`, `anyOf`, `oneOf` (all at the same name, the holder as `parent`)
 * and `properties`. A schema is a path when it has a `const`, a `default`
 * or a prototype type: exactly one `type` other than `null` (listPaths
 * gives `null`, two types and none no prototype; three or more a `json`
 * hint). Paths of one name are merged as makeUnique does — the first with
 * a default, else the last — and sorted by name.
 *
 * A schema reached again below itself fails the listing (ListPaths passes
 * maxRecursion -1: "detected circular dependency"), at the first such
 * schema in the walk's order; Go walks `properties` in its map's random
 * order, this walk in the file's.
 */
export function listSchemaPaths(root: Schema): SchemaPathListing {
  const walk: Walk = { paths: [], visits: 0 };
  visit(walk, root, undefined, [], []);
  if (walk.capped) return { paths: [], failure: { kind: "expansion" } };
  if (walk.circularAt !== undefined) return { paths: [], failure: { kind: "circular", path: walk.circularAt } };
  return { paths: mergedByName(walk.paths) };
}

interface Walk {
  paths: SchemaPath[];
  visits: number;
  circularAt?: string;
  capped?: boolean;
}

function visit(walk: Walk, schema: Schema, parent: Schema | undefined, segments: string[], ancestors: Schema[]): void {
  if (walk.capped || walk.circularAt !== undefined) return;
  walk.visits++;
  if (walk.visits > MAX_SCHEMA_VISITS || segments.length > MAX_DEPTH) {
    walk.capped = true;
    return;
  }
  const path = pathOf(schema, parent, segments);
  if (path) walk.paths.push(path);
  if (ancestors.includes(schema)) {
    walk.circularAt = segments.join(".");
    return;
  }
  ancestors.push(schema);
  const sameName = [schema.ref, schema.not, schema.if, schema.then, schema.else, ...schema.allOf, ...schema.anyOf, ...schema.oneOf];
  for (const sub of sameName) if (sub) visit(walk, sub, schema, segments, ancestors);
  for (const [key, sub] of schema.properties) visit(walk, sub, schema, [...segments, key], ancestors);
  ancestors.pop();
}

/** listPaths' own path for one schema: none at the root, or without a prototype type and a default. */
function pathOf(schema: Schema, parent: Schema | undefined, segments: string[]): SchemaPath | undefined {
  const written = schema.written ?? {};
  const hasDefault = written.default !== undefined && written.default !== null;
  const { typeHint, prototype } = typeOf(schema);
  if ((!prototype && !hasDefault) || segments.length === 0) return undefined;
  const key = segments.at(-1) ?? "";
  const ext = written["ory.sh/kratos"];
  return {
    name: segments.join("."),
    segments,
    typeHint,
    format: typeof written.format === "string" ? written.format : undefined,
    pattern: schema.pattern?.source,
    title: typeof written.title === "string" ? written.title : undefined,
    required: parent?.required.includes(key) ?? false,
    hasDefault,
    extension: isPlainObject(ext) ? ext : {},
  };
}

/** listPaths' pathType (whether there is a prototype) and TypeHint. */
function typeOf(schema: Schema): { typeHint: PathTypeHint; prototype: boolean } {
  if (schema.constant) {
    const value = schema.constant.value;
    if (numberText(value) !== undefined) return { typeHint: "float", prototype: true };
    if (typeof value === "string") return { typeHint: "string", prototype: true };
    if (typeof value === "boolean") return { typeHint: "bool", prototype: true };
    // Any other constant is its own prototype: none for null.
    return { typeHint: "json", prototype: value !== null };
  }
  if (schema.types.length === 1) {
    switch (schema.types[0]) {
      case "null":
        return { typeHint: "nil", prototype: false };
      case "boolean":
        return { typeHint: "bool", prototype: true };
      case "number":
        return { typeHint: "float", prototype: true };
      case "integer":
        return { typeHint: "int", prototype: true };
      case "string":
        return { typeHint: "string", prototype: true };
      case "array":
        return { typeHint: arrayHint(schema), prototype: true };
      case "object":
        return { typeHint: "json", prototype: true };
    }
    return { typeHint: "none", prototype: false };
  }
  if (schema.types.length > 2) return { typeHint: "json", prototype: false };
  return { typeHint: "none", prototype: false };
}

/** An array's hint from its items' types (and their `$ref` targets'), adjacent repeats collapsed as slices.Compact does. */
function arrayHint(schema: Schema): PathTypeHint {
  if (!schema.items) return "none";
  const items = Array.isArray(schema.items) ? schema.items : [schema.items];
  const types = items.flatMap((s) => [...s.types, ...(s.ref?.types ?? [])]).filter((t, i, all) => i === 0 || all[i - 1] !== t);
  if (types.length !== 1) return "none";
  return types[0] === "boolean" || types[0] === "number" || types[0] === "integer" || types[0] === "string" ? "slice" : "json";
}

/** runPaths: a stable sort by name, then makeUnique — per name the first path with a default, else the last one. */
function mergedByName(paths: SchemaPath[]): SchemaPath[] {
  const byName = new Map<string, SchemaPath>();
  for (const path of [...paths].sort((a, b) => goCompare(a.name, b.name))) {
    const kept = byName.get(path.name);
    if (!kept || !kept.hasDefault) byName.set(path.name, path);
  }
  return [...byName.values()];
}
