import { isPlainObject } from "../config/unknown-keys";
import type { Schema } from "./jsonschema/compile";

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

/**
 * Why a schema's paths cannot be listed as Kratos lists them: `circular` —
 * ListPaths' "detected circular dependency in schema path: <path>" (the
 * forms and the identifier label fail; decoderx's ListPathsWithRecursion
 * lists on); `expansion` — the walk passed this server's cap (see below).
 */
export type TraitPathsFailure = { kind: "circular"; path: string } | { kind: "expansion" };

export interface TraitPathListing {
  paths: TraitPath[];
  failure?: TraitPathsFailure;
}

/** oryx/decoderx NewHTTPDecoder's default maxCircularReferenceDepth, the recursion ListPathsWithRecursion follows. */
const MAX_CIRCULAR_RECURSION = 5;
/**
 * Kratos expands every `$ref` each time it is reached, so refs to refs (each
 * schema naming the next one twice) grow exponentially; this server stops
 * listing after this many schemas or this depth and fails the uses instead.
 */
export const MAX_SCHEMA_VISITS = 10_000;
const MAX_DEPTH = 256;

/** The failure's text as the uses answer it (a plain Go error's message, or this server's words for the cap). */
export function traitPathsFailureText(failure: TraitPathsFailure): string {
  return failure.kind === "circular"
    ? `detected circular dependency in schema path: ${failure.path}`
    : `the identity schema expands to more than ${MAX_SCHEMA_VISITS} schemas or ${MAX_DEPTH} levels below traits (nested $refs); this server does not list its paths`;
}

/**
 * The trait leaves of a compiled schema (none when it declares no
 * `properties.traits` object) the body decoding and the extension keys
 * read — the forms and the identifier label read schema-paths.ts, the full
 * jsonschemax.ListPaths — as ory/x jsonschemax (keys.go listPaths) finds
 * them along `$ref`s and `properties`: the walk
 * follows each `$ref` as the compiler resolved it (the document's root, a
 * JSON pointer, an `$id`/`#name` it declares, another document) and
 * descends into objects' properties. A leaf takes its type, format,
 * pattern, title and `ory.sh/kratos` block from the schema the `$ref`s lead
 * to, while `required` is read from the schema holding it — for a `$ref`
 * target that is the `$ref` holder, whose `required` the compile ignores —
 * so a trait behind a `$ref` is never a required input (its validation
 * still requires it).
 *
 * A schema reached again below itself is circular (listPaths keeps the
 * schemas on the way down, by pointer; compileRef shares a `$ref` target
 * by its ref text, while a property is compiled anew in each schema
 * holding it — so `traits` reached through `#/properties/traits` is
 * another schema than the root's own `traits`): ListPaths fails there,
 * which `failure` records with the path it names, and
 * ListPathsWithRecursion — whose paths these are — goes on until its count
 * of circular schemas passes MAX_CIRCULAR_RECURSION.
 */
export function listTraitPaths(root: Schema): TraitPathListing {
  const traits = root.properties.find(([key]) => key === "traits")?.[1];
  if (!traits?.written && !traits?.ref) return { paths: [] };
  const walk: Walk = { paths: [], visits: 0 };
  visit(walk, traits, root, [], [root], 0);
  if (walk.capped) return { paths: walk.paths, failure: { kind: "expansion" } };
  return walk.circularAt === undefined
    ? { paths: walk.paths }
    : { paths: walk.paths, failure: { kind: "circular", path: walk.circularAt } };
}

interface Walk {
  paths: TraitPath[];
  visits: number;
  /** The path of the first circular schema reached (where ListPaths fails). */
  circularAt?: string;
  capped?: boolean;
}

/**
 * listPaths for one schema: `parent` holds `required`, `ancestors` the
 * schemas on the way down, `recursion` the circular schemas passed on this
 * branch.
 */
function visit(walk: Walk, schema: Schema, parent: Schema, segments: string[], ancestors: Schema[], recursion: number): void {
  walk.visits++;
  if (walk.visits > MAX_SCHEMA_VISITS || segments.length > MAX_DEPTH) {
    walk.capped = true;
    return;
  }
  const written = schema.written;
  const object = written?.type === "object" && isPlainObject(written.properties);
  if (written && !object && segments.length > 0) walk.paths.push(leaf(written, parent, segments));
  if (ancestors.includes(schema)) {
    walk.circularAt ??= ["traits", ...segments].join(".");
    if (recursion > MAX_CIRCULAR_RECURSION) return;
    recursion++;
  }
  // The schemas on the way down, as a stack: this one is on it while its children are walked.
  ancestors.push(schema);
  if (schema.ref) {
    visit(walk, schema.ref, schema, segments, ancestors, recursion);
  } else if (object) {
    for (const [key, sub] of schema.properties) {
      if (walk.capped) break;
      visit(walk, sub, schema, [...segments, key], ancestors, recursion);
    }
  }
  ancestors.pop();
}

/** One input's path, from the keywords as written. */
function leaf(written: Obj, parent: Schema, segments: string[]): TraitPath {
  const type = Array.isArray(written.type) ? String(written.type[0]) : typeof written.type === "string" ? written.type : "string";
  const key = segments.at(-1) ?? "";
  // The extension block is read as written, like the rest of the schema document.
  const ext = written["ory.sh/kratos"];
  return {
    name: ["traits", ...segments].join("."),
    segments,
    type,
    format: typeof written.format === "string" ? written.format : undefined,
    pattern: typeof written.pattern === "string" ? written.pattern : undefined,
    title: typeof written.title === "string" ? written.title : undefined,
    required: parent.required.includes(key),
    extension: isPlainObject(ext) ? ext : {},
  };
}
