import { goMultipartForm } from "./form";
import { ERR_MESSAGE_TOO_LARGE, GoMultipartReader } from "./multipart-reader";
import type { GoValues } from "./query";

/**
 * mime/multipart Reader.ReadForm's part cap (formdata.go readForm, GODEBUG
 * multipartmaxparts unset): a form of more parts is ErrMessageTooLarge. Go
 * has it since 1.19.8 / 1.20.3 (CVE-2023-24536), so the Go 1.26 Kratos and
 * Hydra v26.2.0 build with too.
 */
export const GO_MULTIPART_MAX_PARTS = 1000;

/**
 * maxMIMEHeaders (multipart.go, GODEBUG multipartmaxheaders unset): the
 * header lines one part may have, and all file parts together (same fix).
 */
export const GO_MULTIPART_MAX_HEADERS = 10000;

/** net/http's defaultMaxMemory: what r.FormValue / r.PostFormValue pass to ParseMultipartForm (Kratos' nosurf). */
export const GO_DEFAULT_MAX_MEMORY = 32 << 20;

export type GoMultipartFormResult =
  /** r.MultipartForm.Value, each key's values in order; `files` counts the parts in r.MultipartForm.File. */
  | { ok: true; values: GoValues; files: number }
  /** ReadForm's error text; Go then keeps no part at all. */
  | { ok: false; error: string };

/**
 * Reader.ReadForm(maxMemory) of a body with `boundary` (formdata.go
 * readForm): parts without a form-data name are skipped, a part with a
 * filename is a file, not a value; values and names, map overheads (200 a
 * part) and a file's header cost against maxMemory + 10 MB. Files are only
 * counted: their bytes past maxMemory would go to a temporary file in Go.
 */
export function goReadMultipartForm(body: Buffer, boundary: string, maxMemory: number = GO_DEFAULT_MAX_MEMORY): GoMultipartFormResult {
  const reader = new GoMultipartReader(body, boundary);
  const values: GoValues = new Map();
  let files = 0;
  let maxParts = GO_MULTIPART_MAX_PARTS;
  let maxHeaders = GO_MULTIPART_MAX_HEADERS;
  let maxFileMemoryBytes = maxMemory;
  let maxMemoryBytes = maxMemory + (10 << 20);
  for (;;) {
    const next = reader.nextPart(maxMemoryBytes, maxHeaders);
    if (next.kind === "eof") break;
    if (next.kind === "error") return { ok: false, error: next.error };
    if (maxParts <= 0) return { ok: false, error: ERR_MESSAGE_TOO_LARGE };
    maxParts--;
    const { formName: name, fileName, header } = next.part;
    if (name === "") continue;
    maxMemoryBytes -= name.length + 200;
    if (maxMemoryBytes < 0) return { ok: false, error: ERR_MESSAGE_TOO_LARGE };
    const read = reader.readPartBody();
    if (fileName === "") {
      // io.CopyN(&b, p, maxMemoryBytes+1): past the limit the error after it is never read.
      if (read.body.length > maxMemoryBytes) return { ok: false, error: ERR_MESSAGE_TOO_LARGE };
      if (!read.ok) return { ok: false, error: read.error };
      maxMemoryBytes -= read.body.length;
      const list = values.get(name);
      if (list) list.push(read.body);
      else values.set(name, [read.body]);
      continue;
    }
    // mimeHeaderSize, the map entry and the FileHeader.
    let headerSize = 400;
    for (const [key, list] of header) headerSize += key.length + 200 + list.reduce((sum, value) => sum + value.length, 0);
    maxMemoryBytes -= headerSize + 200 + 100;
    if (maxMemoryBytes < 0) return { ok: false, error: ERR_MESSAGE_TOO_LARGE };
    for (const list of header.values()) maxHeaders -= list.length;
    if (!read.ok) return { ok: false, error: read.error };
    if (read.body.length <= maxFileMemoryBytes) {
      maxFileMemoryBytes -= read.body.length;
      maxMemoryBytes -= read.body.length;
    }
    files++;
  }
  return { ok: true, values, files };
}

/**
 * The non-file values Request.ParseMultipartForm(maxMemory) puts in
 * r.MultipartForm.Value (and appends to r.PostForm and r.Form), each key's
 * values in the order they came, as byte strings like the rest of go-url;
 * undefined where ReadForm returns an error, when Go keeps none of them.
 * `contentType` must be one goMultipartForm calls `multipart`.
 */
export function goMultipartFormValues(
  body: Buffer,
  contentType: string,
  maxMemory: number = GO_DEFAULT_MAX_MEMORY,
): Promise<GoValues | undefined> {
  const multipart = goMultipartForm(contentType);
  if (multipart.kind !== "multipart") return Promise.resolve(undefined);
  const form = goReadMultipartForm(body, multipart.boundary, maxMemory);
  // A promise still, as callers awaited the runtime's FormData parser before this reader.
  return Promise.resolve(form.ok ? form.values : undefined);
}
