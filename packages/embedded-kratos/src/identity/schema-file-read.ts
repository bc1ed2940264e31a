import { readFile, stat } from "node:fs/promises";
import { scanGoJson } from "@olympus/server-kit/go-json";
import { goQuote } from "@olympus/server-kit/go-strconv";
import type { IdentitySchemaSource } from "../config/load";
import { goErrnoText } from "../fetcher/go-errno";
import { KratosError } from "../http/errors";

/**
 * The identity schema file as Kratos' forms, body decoders and identifier
 * labels read it at each use: jsonschemax.ListPaths with a new ory/jsonschema
 * compiler (ui/container NodesFromJSONSchema, login
 * GetIdentifierLabelFromSchema, decoderx decodeForm/decodeJSONForm), whose
 * Compile loads the URL (fileloader.Load: os.Open of the URL without
 * `file://`) and decodes it (resource.go newResource: DecodeJSON, then
 * `parsing %q failed. Reason: %v`). Nothing is cached there; the caller
 * keeps what it built from a text and rebuilds only when the text changed.
 */

/** The file's text and its first JSON value, or Go's text for why it cannot be read or decoded. */
export type SchemaFileRead = { ok: true; text: string; document: unknown } | { ok: false; goText: string };

/** The ref Kratos compiles: the configured URL; fileloader opens it without its `file://`. */
const openedPath = (source: IdentitySchemaSource) => (source.url.startsWith("file://") ? source.url.slice("file://".length) : source.file);

/**
 * DecodeJSON's check after the value: the next json.Decoder Token, when it
 * is one (a delimiter, or a whole string, number or boolean), is an error
 * printed with %v; `null`, a closing delimiter or a broken token pass.
 */
function trailingTokenText(bytes: Uint8Array, from: number): string | undefined {
  let at = from;
  while (at < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[at] as number)) at++;
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first === 0x7b || first === 0x5b) return String.fromCharCode(first);
  const rest = bytes.subarray(at);
  let end: number;
  try {
    end = scanGoJson(rest, "decoder");
  } catch {
    return undefined;
  }
  const text = Buffer.from(rest.subarray(0, end)).toString("utf8");
  const value: unknown = JSON.parse(text);
  // %v of a json.Number is its text, of a string the string itself, of a bool true or false.
  if (typeof value === "number") return text.trim();
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

/** Reads and decodes the schema file now, as the ListPaths compile does. */
export async function readSchemaFile(source: IdentitySchemaSource): Promise<SchemaFileRead> {
  const path = openedPath(source);
  const parsing = (reason: string) => ({ ok: false as const, goText: `parsing ${goQuote(source.url)} failed. Reason: ${reason}` });
  let bytes: Buffer;
  try {
    bytes = await readFile(source.file);
  } catch (error) {
    // os.Open succeeds on a directory; the decoder's read is what fails.
    if (error instanceof Error && "code" in error && error.code === "EISDIR") return parsing(`read ${path}: is a directory`);
    return { ok: false, goText: `open ${path}: ${goErrnoText(error)}` };
  }
  let end: number;
  try {
    end = scanGoJson(bytes, "decoder");
  } catch (error) {
    return parsing((error as Error).message);
  }
  const trailing = trailingTokenText(bytes, end);
  if (trailing !== undefined) return parsing(`invalid character ${trailing} after top-level value`);
  return { ok: true, text: bytes.toString("utf8"), document: JSON.parse(bytes.subarray(0, end).toString("utf8")) as unknown };
}

/**
 * How long after a file's last change a read must come for its stat to stand
 * for its content: a change within the same timestamp tick as the read
 * leaves size and times equal (git's "racy" entries). Linux stamps files
 * with a coarse clock (a few ms); a second covers it with room.
 */
const RACY_MS = 1000n;

const stampOf = (s: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }) =>
  `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

/**
 * Tells, from a stat, that a file still holds what was last read from it,
 * so each use need not read it again (one stat instead of open, read and
 * close): the same device, inode, size, mtime and ctime, when the read came
 * at least RACY_MS after the file's last change. Anything else reads again.
 */
export class FileStamps {
  private readonly known = new Map<string, string>();

  /** Whether `file` is known unchanged since its stamp was taken. */
  async unchanged(file: string): Promise<boolean> {
    const known = this.known.get(file);
    if (known === undefined) return false;
    try {
      return stampOf(await stat(file, { bigint: true })) === known;
    } catch {
      return false;
    }
  }

  /** Takes the stamp of a read that follows (before it, so a change during the read shows next time). */
  async beforeRead(file: string): Promise<void> {
    this.known.delete(file);
    try {
      const now = await stat(file, { bigint: true });
      const readAtNs = BigInt(Date.now()) * 1_000_000n;
      const newest = now.mtimeNs > now.ctimeNs ? now.mtimeNs : now.ctimeNs;
      if (readAtNs - newest >= RACY_MS * 1_000_000n) this.known.set(file, stampOf(now));
    } catch {
      // The read reports it.
    }
  }
}

/** A ListPaths failure reaching Kratos' error writer as a plain Go error: 500, its text as `message` (herodot ToDefaultError). */
export const schemaListError = (goText: string) => new KratosError(500, { message: goText });

/**
 * decoderx's answer when ListPathsWithRecursion fails before a body is
 * decoded (decodeForm, decodeJSONForm): herodot.ErrInternalServerError with
 * the reason `Unable to prepare JSON Schema for HTTP Post Body Form parsing: <error>`.
 */
export const schemaDecodeError = (goText: string) =>
  new KratosError(500, { reason: `Unable to prepare JSON Schema for HTTP Post Body Form parsing: ${goText}` });
