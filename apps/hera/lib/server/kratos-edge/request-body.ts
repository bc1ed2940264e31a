import { fieldsFromForm, fieldsFromJson, type Fields } from "./submission";

/** Reading a self-service submission the way Kratos' decoder does, within a size limit. */

/** Self-service submissions are small; anything larger is refused before it is read further. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Kratos' "JSON request": Accept prefers application/json over HTML, or the body is JSON. */
export function isJsonRequest(headers: Headers): boolean {
  if (mediaType(headers.get("content-type")) === "application/json") return true;
  const accept = headers.get("accept");
  if (!accept) return false;
  let html = -1;
  let json = -1;
  accept.split(",").forEach((entry, index) => {
    const [type = "", ...params] = entry.trim().toLowerCase().split(";");
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith("q="))
        ?.slice(2) ?? "1",
    );
    const score = (Number.isFinite(q) ? q : 0) - index * 1e-6;
    if (type === "application/json") json = Math.max(json, score);
    if (type === "text/html") html = Math.max(html, score);
  });
  return json > 0 && json > html;
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
