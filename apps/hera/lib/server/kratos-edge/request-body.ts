import { isJsonRequest as isKratosJsonRequest } from "@olympus/content-negotiation";
import { fieldsFromForm, fieldsFromJson, type Fields } from "./submission";

/** Reading a self-service submission the way Kratos' decoder does, within a size limit. */

/** Self-service submissions are small; anything larger is refused before it is read further. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, keepIntegerText) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * gjson's Result.String of a number whose text is all digits is that text,
 * which decodeJSONForm hands on: an identifier past 2^53 is keyed by its
 * digits, not by the float JSON.parse would round it to. The source text
 * comes from JSON.parse's reviver context (Node 21+).
 */
function keepIntegerText(_key: string, value: unknown, ...rest: unknown[]): unknown {
  const context = rest[0];
  if (typeof value !== "number" || typeof context !== "object" || context === null || !("source" in context)) return value;
  return typeof context.source === "string" && /^-?[0-9]+$/.test(context.source) ? context.source : value;
}

/**
 * Kratos' "JSON client" (x.IsJSONRequest, with golang/gddo's content
 * negotiation): the edge answers a refusal the way Kratos would answer that
 * client — JSON, or a redirect for a browser. One difference is left: a
 * Headers object joins repeated Accept lines (which gddo parses one by one)
 * and repeated Content-Type values (of which Go compares the first) with
 * ", ", and the route handler never sees the separate lines.
 */
export function isJsonRequest(headers: Headers): boolean {
  const accept = headers.get("accept");
  return isKratosJsonRequest(accept === null ? [] : [accept], headers.get("content-type"));
}

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * The fields Kratos' decoder would read: JSON for a JSON body, form fields
 * for urlencoded and multipart ones. A body of another (or no) type is read
 * both ways, so no field Kratos might find escapes the count.
 */
export async function submittedFields(contentType: string | null, body: Uint8Array<ArrayBuffer>): Promise<Fields | undefined> {
  const type = mediaType(contentType);
  const asJson = (): Fields | undefined => {
    const text = new TextDecoder().decode(body);
    if (text.trim() === "") return new Map();
    const parsed = parseJson(text);
    return parsed === undefined ? undefined : fieldsFromJson(parsed);
  };
  const asForm = async (formType: string): Promise<Fields | undefined> => {
    try {
      return fieldsFromForm(await new Response(body, { headers: { "content-type": formType } }).formData());
    } catch {
      return undefined;
    }
  };
  if (type === "application/json") return asJson();
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") return asForm(contentType ?? type);
  const merged: Fields = new Map();
  for (const fields of [asJson(), await asForm("application/x-www-form-urlencoded")]) {
    for (const [name, list] of fields ?? []) merged.set(name, [...(merged.get(name) ?? []), ...list]);
  }
  return merged;
}

export async function readBounded(request: Request): Promise<Uint8Array<ArrayBuffer> | "too_large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_SUBMISSION_BYTES) return "too_large";
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SUBMISSION_BYTES) {
      await reader.cancel();
      return "too_large";
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
