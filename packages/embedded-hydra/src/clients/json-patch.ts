import { isDeepStrictEqual } from "node:util";
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

function tokens(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw HydraError.badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(document: unknown, pointer: string): { parent: Container; key: string } {
  const path = tokens(pointer);
  const key = path.pop();
  if (key === undefined) throw HydraError.badRequest("the JSON patch may not replace the whole client");
  let current: unknown = document;
  for (const token of path) {
    if (current === null || typeof current !== "object") throw HydraError.badRequest(`path ${pointer} does not exist`);
    current = (current as Record<string, unknown>)[token];
  }
  if (current === null || typeof current !== "object") throw HydraError.badRequest(`path ${pointer} does not exist`);
  return { parent: current as Container, key };
}

function read(document: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(document, pointer);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw HydraError.badRequest(`path ${pointer} does not exist`);
  return value;
}

function write(document: unknown, pointer: string, value: unknown, insert: boolean): void {
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw HydraError.badRequest(`invalid array index in ${pointer}`);
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

/** Applies an RFC 6902 JSON Patch to a copy of the document. */
export function applyJsonPatch<T>(document: T, patch: JsonPatch): T {
  const result = structuredClone(document);
  for (const operation of patch) {
    switch (operation.op) {
      case "add":
        write(result, operation.path, structuredClone(operation.value), true);
        break;
      case "replace":
        read(result, operation.path);
        write(result, operation.path, structuredClone(operation.value), false);
        break;
      case "remove":
        read(result, operation.path);
        remove(result, operation.path);
        break;
      case "test":
        if (!isDeepStrictEqual(read(result, operation.path), operation.value)) {
          throw new HydraError(409, "conflict", `JSON patch test failed at ${operation.path}`);
        }
        break;
      case "move": {
        const value = read(result, operation.from);
        remove(result, operation.from);
        write(result, operation.path, value, true);
        break;
      }
      case "copy":
        write(result, operation.path, structuredClone(read(result, operation.from)), true);
        break;
    }
  }
  return result;
}
