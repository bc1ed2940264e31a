import { readFileSync } from "node:fs";
import { goUrlParse } from "@olympus/server-kit/go-url";
import { parseJsonKeepingNumbers } from "./json-number";

/**
 * Where `$ref`s to other documents lead: ory/jsonschema resource.go
 * (resolveURL, split) and the loaders Kratos links in (schema/loader.go):
 * fileloader, base64loader and httploader. The compile is synchronous, so
 * http(s) documents are fetched before it (remote-refs.ts, which compiles
 * again once a needed document is in) and handed in as `remote`.
 */

/** The compile needs the http(s) document at `url`, which has not been fetched. */
export class RemoteDocumentNeeded extends Error {
  constructor(readonly url: string) {
    super(`the $ref document ${JSON.stringify(url)} must be fetched before the schema compiles`);
    this.name = "RemoteDocumentNeeded";
  }
}

/** Texts of fetched http(s) documents, by URL without fragment. */
export type RemoteDocuments = ReadonlyMap<string, string>;

/**
 * Documents the caller loads, `file://` ones too: a file missing here throws
 * RemoteDocumentNeeded instead of being read synchronously, so a validation
 * can read the files again without blocking (../refetched-schemas.ts).
 */
export class CallerLoadedDocuments extends Map<string, string> {}

/** split: the URL before `#` and the fragment (`#` when there is none). */
export function splitFragment(url: string): [string, string] {
  const hash = url.indexOf("#");
  return hash === -1 ? [url, "#"] : [url.slice(0, hash), url.slice(hash)];
}

/** rootFragment: ``, `#` or `#/` names the document's root. */
export const isRootFragment = (fragment: string): boolean => fragment === "" || fragment === "#" || fragment === "#/";

/** normalize: a root fragment is written `#`. */
function normalize(url: string): string {
  const [base, fragment] = splitFragment(url);
  return base + (isRootFragment(fragment) ? "#" : fragment);
}

/** resolveURL: an absolute ref as written, a relative one against the base URL. */
export function resolveRefUrl(base: string, ref: string): string {
  if (ref === "") return base;
  const parsed = goUrlParse(ref);
  if (!parsed.ok) throw new Error(`invalid $ref ${JSON.stringify(ref)}`);
  if (parsed.url.scheme) return normalize(ref);
  try {
    return normalize(new URL(ref, base).href);
  } catch {
    throw new Error(`cannot resolve $ref ${JSON.stringify(ref)} against ${JSON.stringify(base)}`);
  }
}

function decodeStdBase64(text: string): Buffer {
  // encoding/base64 StdEncoding skips line breaks and wants the padding.
  const compact = text.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
    throw new Error("unable to decode std encoded base64 string: illegal base64 data");
  return Buffer.from(compact, "base64");
}

function read(url: string, remote: RemoteDocuments): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? "";
  if (scheme === "file") {
    const given = remote.get(url);
    if (given !== undefined) return given;
    if (remote instanceof CallerLoadedDocuments) throw new RemoteDocumentNeeded(url);
    // fileloader.Load opens what follows `file://` as it is written.
    return readFileSync(url.slice("file://".length), "utf8");
  }
  if (scheme === "") return readFileSync(url, "utf8");
  if (scheme === "base64") return decodeStdBase64(url.replace(/^base64:\/\//, "")).toString("utf8");
  if (scheme === "http" || scheme === "https") {
    const text = remote.get(url);
    if (text === undefined) throw new RemoteDocumentNeeded(url);
    return text;
  }
  throw new Error(`no Loader registered for scheme ${scheme}`);
}

/** Loads and parses the document at a URL without fragment, with the loader its scheme names. */
export function loadDocument(url: string, remote: RemoteDocuments): unknown {
  let text: string;
  try {
    text = read(url, remote);
  } catch (error) {
    if (error instanceof RemoteDocumentNeeded) throw error;
    throw new Error(`cannot load $ref document ${JSON.stringify(url)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseJsonKeepingNumbers(text);
  } catch (error) {
    throw new Error(`parsing ${JSON.stringify(url)} failed: ${(error as Error).message}`, { cause: error });
  }
}
