import type { IncomingMessage } from "node:http";
import { HydraError } from "./errors";
import { isStorableQuery } from "@olympus/server-kit/text";
import { assertStorable } from "./storable";

const LIMIT = 1024 * 1024;

/** The whole request body as UTF-8, at most 1 MiB (see readBodyBytes). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/**
 * The whole request body's bytes, at most 1 MiB (Go's JSON decoder reads
 * bytes: a stray byte that is not UTF-8 is quoted as itself). Read with
 * plain stream events rather than an async iterator: every admin call
 * (introspection above all) reads a body, and the iterator's per-chunk
 * promises cost more than the few bytes they carry.
 */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  // Refuse an announced oversize body at once instead of reading towards it.
  if (Number(req.headers["content-length"] ?? "0") > LIMIT) {
    req.resume();
    return Promise.reject(new HydraError(413, "invalid_request", "The request body is too large"));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: HydraError | undefined) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onBroken);
      req.off("close", onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMIT) {
        chunks.push(chunk);
        return;
      }
      // As the iterator did when the loop threw: stop reading and let the stream go.
      req.destroy();
      settle(new HydraError(413, "invalid_request", "The request body is too large"));
    };
    const onEnd = () => settle(undefined);
    // The client went away or sent broken chunked framing.
    const onBroken = () => settle(HydraError.badRequest("The request body could not be read"));
    const onClose = () => {
      if (!req.complete) onBroken();
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onBroken);
    req.on("close", onClose);
  });
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

/**
 * Whether Go's ParseForm reads this request's body: a POST, PUT or PATCH
 * whose media type (the Content-Type before any `;`) is a urlencoded form.
 */
export function hasUrlencodedBody(req: IncomingMessage): boolean {
  if (req.method !== "POST" && req.method !== "PUT" && req.method !== "PATCH") return false;
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers["content-type"] ?? "";
  const text = await readBody(req);
  if (type.includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw HydraError.badRequest("The request body must be a JSON object");
      assertStorable(parsed);
      return new URLSearchParams(Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]));
    } catch (error) {
      if (error instanceof HydraError) throw error;
      throw HydraError.badRequest("The request body is not valid JSON");
    }
  }
  const form = new URLSearchParams(text);
  if (!isStorableQuery(form))
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  return form;
}
