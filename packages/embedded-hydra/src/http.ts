import type { IncomingMessage } from "node:http";
import { HydraError } from "./errors";
import { assertStorable, isStorableQuery } from "./storable";

const LIMIT = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  // Refuse an announced oversize body at once instead of reading towards it.
  if (Number(req.headers["content-length"] ?? "0") > LIMIT) {
    req.resume();
    throw new HydraError(413, "invalid_request", "The request body is too large");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > LIMIT) throw new HydraError(413, "invalid_request", "The request body is too large");
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof HydraError) throw error;
    // The client went away or sent broken chunked framing.
    throw HydraError.badRequest("The request body could not be read");
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body; an empty body is `{}` (Hydra accepts empty accept/reject bodies). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw HydraError.badRequest("The request body is not valid JSON");
  }
  assertStorable(value);
  return value;
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers["content-type"] ?? "";
  const text = await readBody(req);
  if (type.includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw HydraError.badRequest("The request body must be a JSON object");
      assertStorable(parsed);
      return new URLSearchParams(Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]));
    } catch (error) {
      if (error instanceof HydraError) throw error;
      throw HydraError.badRequest("The request body is not valid JSON");
    }
  }
  const form = new URLSearchParams(text);
  if (!isStorableQuery(form)) throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  return form;
}
