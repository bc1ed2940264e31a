import { isJsonRequest as isKratosJsonRequest } from "@olympus/content-negotiation";
import { goParseMediaType, goParseQuery, goReadsFormBody, goTrimSpace, utf8Text } from "@olympus/server-kit/go-url";
import { jsonFormFields } from "./json-form-fields";
import type { Fields } from "./submission";

/** Reading a self-service submission the way Kratos' decoder does, within a size limit. */

/** Self-service submissions are small; anything larger is refused before it is read further. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

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

/**
 * The decoder ory/x decoderx.Decode picks for a POST: httpx.HasContentType
 * reads the Content-Type with mime.ParseMediaType and matches it only when
 * it parses without error. JSON goes to decodeJSONForm, urlencoded and
 * multipart to decodeForm; any other (or no) type validateRequest refuses.
 */
export function kratosBodyDecoder(contentType: string | null): "json" | "form" | "refused" {
  if (!contentType) return "refused";
  const media = goParseMediaType(goTrimSpace(contentType));
  if (media.error !== undefined) return "refused";
  if (media.mediaType === "application/json") return "json";
  return media.mediaType === "application/x-www-form-urlencoded" || media.mediaType === "multipart/form-data" ? "form" : "refused";
}

/**
 * r.PostForm as decodeForm's r.ParseForm fills it: a urlencoded body read
 * with url.ParseQuery (a pair holding `;` or a bad escape is not there, and
 * Kratos' decoder fails on the error besides), nothing from a multipart body
 * (ParseForm leaves it to ParseMultipartForm, which nothing on Kratos'
 * self-service routes calls: they are exempt from nosurf's token check).
 */
function postFormFields(contentType: string | null, body: Uint8Array<ArrayBuffer>): Fields {
  const fields: Fields = new Map();
  if (!goReadsFormBody("POST", contentType ?? undefined)) return fields;
  for (const [name, list] of goParseQuery(Buffer.from(body).toString("latin1")).values) fields.set(utf8Text(name), list.map(utf8Text));
  return fields;
}

/**
 * The body's fields as Kratos' decoder reads them: decodeJSONForm's top-level
 * members for JSON (json-form-fields.ts), r.PostForm for a form. A body
 * Kratos refuses is read both ways, so no field Kratos might find escapes the
 * count. Undefined for JSON that does not parse.
 */
export function submittedFields(contentType: string | null, body: Uint8Array<ArrayBuffer>): Fields | undefined {
  const decoder = kratosBodyDecoder(contentType);
  const asJson = () => jsonFormFields(new TextDecoder().decode(body));
  if (decoder === "json") return asJson();
  if (decoder === "form") return postFormFields(contentType, body);
  const merged: Fields = new Map();
  for (const fields of [asJson(), postFormFields("application/x-www-form-urlencoded", body)]) {
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
