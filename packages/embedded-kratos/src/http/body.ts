import { errors } from "./errors";
import type { HttpContext } from "./context";

export const MAX_BODY_BYTES = 1024 * 1024;

export type JsonObject = Record<string, unknown>;

/** Reads the raw body, refusing more than 1 MB with 413 (without buffering the excess). */
export async function readRawBody(ctx: HttpContext): Promise<Buffer> {
  const declared = Number(ctx.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    ctx.req.resume();
    throw errors.payloadTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      ctx.req.resume();
      throw errors.payloadTooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON value body; malformed JSON is a 400 in Kratos' shape. */
export async function readJson(ctx: HttpContext): Promise<unknown> {
  const raw = await readRawBody(ctx);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch (error) {
    throw errors.badRequest(`Unable to decode the request body as JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads a self-service submission: JSON or `application/x-www-form-urlencoded`
 * (dotted form keys such as `traits.email` become nested objects). Query
 * parameters never override body fields.
 */
export async function readSubmission(ctx: HttpContext): Promise<JsonObject> {
  if (ctx.method === "GET") return {};
  const type = (ctx.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    const value = await readJson(ctx);
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw errors.badRequest("The request body must be a JSON object.");
    return value as JsonObject;
  }
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data" || type === "") {
    if (type === "multipart/form-data") throw errors.unsupportedMediaType(type);
    const raw = await readRawBody(ctx);
    return formToObject(new URLSearchParams(raw.toString("utf8")));
  }
  throw errors.unsupportedMediaType(type);
}

export function formToObject(form: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of form) {
    const parts = key.split(".");
    let node: JsonObject = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] ?? "";
      const next = node[part];
      if (typeof next === "object" && next !== null && !Array.isArray(next)) node = next as JsonObject;
      else {
        const created: JsonObject = {};
        node[part] = created;
        node = created;
      }
    }
    const leaf = parts[parts.length - 1] ?? "";
    // Checkbox groups and repeated keys: the last value wins, as in Kratos' form decoder for scalars.
    node[leaf] = value;
  }
  return out;
}
