import type { JsonObject } from "../../http/body";

/** A non-empty text field, e.g. the assertion webauthn.js fills in or a mailed token. */
export function hasText(body: JsonObject, key: string): boolean {
  const value = body[key];
  return typeof value === "string" && value !== "";
}

/** A button a form posted (any value but empty or false), as Kratos' strategies detect theirs. */
export function pressed(body: JsonObject, key: string): boolean {
  const value = body[key];
  return value !== undefined && value !== "" && value !== false && value !== "false";
}
