/**
 * Reading ajv's error `params`, typed `any` by ajv. The keywords read here
 * report strings, except `type`, which reports the schema's own value: one
 * name, or the list of a `type: [...]` schema.
 */

/** A string parameter (`missingProperty`, `pattern`, `format`); "" when absent. */
export const ajvParamText = (value: unknown): string => (typeof value === "string" ? value : "");

/** The type names a `type` error allows. */
export function ajvTypeNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === "string");
  return typeof value === "string" ? value.split(",") : [""];
}
