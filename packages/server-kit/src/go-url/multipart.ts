import { goMultipartForm } from "./form";
import type { GoValues } from "./query";

/**
 * mime/multipart Reader.ReadForm's part cap (formdata.go readForm, GODEBUG
 * multipartmaxparts unset): a form of more parts is ErrMessageTooLarge. Go
 * has it since 1.19.8 / 1.20.3, so the Go 1.26 Kratos and Hydra v26.2.0 build with too.
 */
export const GO_MULTIPART_MAX_PARTS = 1000;

/**
 * The non-file values Request.ParseMultipartForm puts in
 * r.MultipartForm.Value (and appends to r.PostForm and r.Form), each key's
 * values in the order they came, as byte strings like the rest of go-url;
 * undefined where ReadForm returns an error (a body that does not parse,
 * more than GO_MULTIPART_MAX_PARTS parts), when Go keeps none of them.
 * `contentType` must be one goMultipartForm calls `multipart`. The parts
 * are split by the runtime's FormData parser (undici), not a port of Go's
 * mime/multipart reader. The runtime's parser is synchronous and unbounded,
 * so a body that cannot hold at most GO_MULTIPART_MAX_PARTS parts never
 * reaches it (mayHoldPartsWithinCap).
 */
export async function goMultipartFormValues(body: Buffer, contentType: string): Promise<GoValues | undefined> {
  const multipart = goMultipartForm(contentType);
  if (multipart.kind !== "multipart" || !mayHoldPartsWithinCap(body, multipart.boundary)) return undefined;
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    return undefined;
  }
  const values: GoValues = new Map();
  let parts = 0;
  data.forEach((value, key) => {
    parts++;
    // A part with a filename is a file (r.MultipartForm.File), never a value.
    if (typeof value !== "string") return;
    const bytesKey = Buffer.from(key, "utf8").toString("latin1");
    const list = values.get(bytesKey) ?? [];
    list.push(Buffer.from(value, "utf8").toString("latin1"));
    values.set(bytesKey, list);
  });
  return parts > GO_MULTIPART_MAX_PARTS ? undefined : values;
}

/**
 * Whether `body` may hold at most GO_MULTIPART_MAX_PARTS parts: every part
 * Go's reader (and the runtime's parser) reads starts at a `--boundary`, and
 * the form ends with one more, so more than cap + 1 occurrences of it means
 * more parts than ReadForm takes — ErrMessageTooLarge, or a body that does
 * not parse before that. One linear scan instead of the parser's allocations.
 * Every occurrence counts, an epilogue's too: a body repeating its boundary
 * beyond the cap outside its delimiter lines (which RFC 2046 forbids within
 * parts) is refused where Go might still read its parts.
 */
function mayHoldPartsWithinCap(body: Buffer, boundary: string): boolean {
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  let count = 0;
  for (let at = body.indexOf(delimiter); at !== -1; at = body.indexOf(delimiter, at + delimiter.length)) {
    if (++count > GO_MULTIPART_MAX_PARTS + 1) return false;
  }
  return true;
}
