import { createHash } from "node:crypto";
import { RuntimeFailure } from "./errors";
import { int } from "./std-arrays";
import { array, codePoints, str, type Definitions, type StdContext } from "./std-support";
import { parseJsonAsGo } from "./std-parse-json";
import { parseYaml } from "./std-yaml";
import { JArray, typeName, type Value } from "./values";

/** std's byte, hash and parsing functions: go-jsonnet's builtins (builtins.go, yaml.go). */

const BASE64 = /^[A-Za-z0-9+/]*$/;

/** base64DecodeGoBytes: the length must be a multiple of 4, then Go's base64.StdEncoding (padding required). */
function base64DecodeBytes(text: string): Buffer {
  const length = Buffer.byteLength(text, "utf8");
  if (length % 4 !== 0) throw new RuntimeFailure(`input string appears not to be a base64 encoded string. Wrong length found (${length})`);
  const body = text.replace(/={1,2}$/, "");
  const illegal = [...body].findIndex((c) => !BASE64.test(c));
  if (illegal >= 0 || length - body.length > 2) {
    const at = illegal >= 0 ? Buffer.byteLength(body.slice(0, illegal), "utf8") : body.length;
    throw new RuntimeFailure(`failed to decode: illegal base64 data at input byte ${at}`);
  }
  return Buffer.from(text, "base64");
}

/** builtinBase64: a string whose code points are all below 256 (encoded as its UTF-8 bytes, as Go does), or an array of bytes. */
function base64(input: Value | undefined): string {
  const invalid = (n: number) =>
    new RuntimeFailure(`base64 encountered invalid codepoint value in the array (must be 0 <= X <= 255), got ${n}`);
  if (typeof input === "string") {
    for (const c of codePoints(input)) {
      const n = c.codePointAt(0) ?? 0;
      if (n > 255) throw invalid(n);
    }
    return Buffer.from(input, "utf8").toString("base64");
  }
  if (input instanceof JArray) {
    const bytes = input.elements.map((e) => {
      const v = e.get();
      if (typeof v !== "number" || (v | 0) !== v)
        throw new RuntimeFailure(`base64 encountered a non-integer value in the array, got ${typeName(v)}`);
      if (v < 0 || v > 255) throw invalid(v);
      return v;
    });
    return Buffer.from(bytes).toString("base64");
  }
  throw new RuntimeFailure(`base64 can only base64 encode strings / arrays of single bytes, got ${typeName(input ?? null)}`);
}

const hash = (algorithm: string) => (args: Value[]) => createHash(algorithm).update(str(args[0]), "utf8").digest("hex");

export function encodingDefinitions(context: StdContext): Definitions {
  return {
    base64: { params: ["input"], body: ([input]) => base64(input) },
    base64Decode: {
      params: ["str"],
      body: ([s]) => {
        if (typeof s !== "string") throw new RuntimeFailure(`base64DecodeBytes requires a string, got ${typeName(s ?? null)}`);
        return base64DecodeBytes(s).toString("utf8");
      },
    },
    base64DecodeBytes: {
      params: ["str"],
      body: ([s]) => {
        if (typeof s !== "string") throw new RuntimeFailure(`base64DecodeBytes requires a string, got ${typeName(s ?? null)}`);
        return array([...base64DecodeBytes(s)]);
      },
    },
    encodeUTF8: { params: ["str"], body: ([s]) => array([...Buffer.from(str(s), "utf8")]) },
    decodeUTF8: {
      params: ["arr"],
      body: ([a]) => {
        if (!(a instanceof JArray)) throw new RuntimeFailure(`Unexpected type ${typeName(a ?? null)}, expected array`);
        const bytes = a.elements.map((e) => {
          const v = int(e.get());
          if (v < 0 || v > 255) throw new RuntimeFailure(`Bytes must be integers in range [0, 255], got ${v}`);
          return v;
        });
        return Buffer.from(bytes).toString("utf8");
      },
    },
    md5: { params: ["s"], body: hash("md5") },
    sha1: { params: ["s"], body: hash("sha1") },
    sha256: { params: ["s"], body: hash("sha256") },
    sha512: { params: ["s"], body: hash("sha512") },
    // go-jsonnet's sha3 is SHA3-512 (golang.org/x/crypto/sha3.Sum512).
    sha3: { params: ["s"], body: hash("sha3-512") },
    parseJson: { params: ["str"], body: ([s]) => parseJsonAsGo(str(s), context.step) },
    parseYaml: { params: ["str"], body: ([s]) => parseYaml(str(s), context.step) },
  };
}
