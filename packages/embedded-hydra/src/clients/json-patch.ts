import { z } from "zod";
import { HydraError } from "../errors";

const operationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("add"), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal("replace"), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal("test"), path: z.string(), value: z.unknown() }),
  z.object({ op: z.literal("remove"), path: z.string() }),
  z.object({ op: z.literal("move"), path: z.string(), from: z.string() }),
  z.object({ op: z.literal("copy"), path: z.string(), from: z.string() }),
]);

export const jsonPatchSchema = z.array(operationSchema);
export type JsonPatch = z.infer<typeof jsonPatchSchema>;

type Container = Record<string, unknown> | unknown[];

/**
 * Hydra answers a patch it cannot apply with the JSON patch library's own
 * error, which its error enhancer cannot name (and, unlike here, with 500).
 */
function patchError(): HydraError {
  return new HydraError(400, "error", "The error is unrecognizable");
}

/** The last path token is an array index or "-". */
function isElementAccess(path: string): boolean {
  const last = path.split("/").pop() ?? "";
  return last === "-" || /^-?\d+$/.test(last);
}

function tokens(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw patchError();
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(document: unknown, pointer: string): { parent: Container; key: string } {
  const path = tokens(pointer);
  const key = path.pop();
  if (key === undefined) throw patchError();
  let current: unknown = document;
  for (const token of path) {
    if (current === null || typeof current !== "object") throw patchError();
    current = (current as Record<string, unknown>)[token];
  }
  if (current === null || typeof current !== "object") throw patchError();
  return { parent: current as Container, key };
}

function read(document: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(document, pointer);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw patchError();
  return value;
}

function write(document: unknown, pointer: string, value: unknown, insert: boolean): void {
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw patchError();
    if (insert) parent.splice(index, 0, value);
    else parent[index] = value;
  } else {
    parent[key] = value;
  }
}

function remove(document: unknown, pointer: string): void {
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

/**
 * Applies a JSON Patch to a copy of the document as Hydra does (ory/x
 * jsonx.ApplyJSONPatch): only add, remove and replace; a replace of a path
 * that is not an array element behaves like add (it may create the field).
 */
export function applyJsonPatch<T>(document: T, patch: JsonPatch): T {
  const result = structuredClone(document);
  for (const operation of patch) {
    switch (operation.op) {
      case "add":
        write(result, operation.path, structuredClone(operation.value), true);
        break;
      case "replace":
        if (isElementAccess(operation.path)) {
          read(result, operation.path);
          write(result, operation.path, structuredClone(operation.value), false);
        } else {
          write(result, operation.path, structuredClone(operation.value), true);
        }
        break;
      case "remove":
        read(result, operation.path);
        remove(result, operation.path);
        break;
      default:
        throw patchError();
    }
  }
  return result;
}
