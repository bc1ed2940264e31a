import type { IncomingMessage } from "node:http";
import { HydraError } from "./errors";

const LIMIT = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > LIMIT) throw new HydraError(413, "invalid_request", "The request body is too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body; an empty body is `{}` (Hydra accepts empty accept/reject bodies). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw HydraError.badRequest("The request body is not valid JSON");
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers["content-type"] ?? "";
  const text = await readBody(req);
  if (type.includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]));
    } catch {
      throw HydraError.badRequest("The request body is not valid JSON");
    }
  }
  return new URLSearchParams(text);
}
