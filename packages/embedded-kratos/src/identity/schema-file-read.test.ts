import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileStamps, readSchemaFile } from "./schema-file-read";

/**
 * The texts of a schema file that cannot be listed, as jsonschemax.ListPaths
 * returns them: ory/jsonschema fileloader.Load (os.Open of the URL without
 * `file://`) and resource.go newResource (DecodeJSON: json.Decoder.Decode
 * with UseNumber, then one more Token, then `parsing %q failed. Reason: %v`).
 * Printed by go1.19 with those two functions copied into a main package.
 */
describe("readSchemaFile (ory/jsonschema fileloader.Load and newResource)", () => {
  let dir = "";
  const source = (name: string) => {
    const file = path.join(dir, name);
    return { id: name, url: `file://${file}`, file, selfserviceSelectable: false };
  };
  const failure = async (name: string, text?: string) => {
    if (text !== undefined) await writeFile(path.join(dir, name), text);
    const read = await readSchemaFile(source(name));
    return read.ok ? undefined : read.goText;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "kratos-schema-read-"));
    await mkdir(path.join(dir, "dir"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a missing file is os.Open's *PathError", async () => {
    expect(await failure("missing.json")).toBe(`open ${dir}/missing.json: no such file or directory`);
  });

  it("a directory opens, and the decoder's read fails", async () => {
    expect(await failure("dir")).toBe(`parsing "file://${dir}/dir" failed. Reason: read ${dir}/dir: is a directory`);
  });

  it("a file that is no JSON is encoding/json's decoder error", async () => {
    const parsing = (name: string, reason: string) => `parsing "file://${dir}/${name}" failed. Reason: ${reason}`;
    expect(await failure("empty.json", "")).toBe(parsing("empty.json", "EOF"));
    expect(await failure("bad.json", "{ not json")).toBe(
      parsing("bad.json", "invalid character 'n' looking for beginning of object key string"),
    );
    expect(await failure("cut.json", '{"a":')).toBe(parsing("cut.json", "unexpected EOF"));
  });

  it("a token after the value is refused, printed with %v; null, a closing delimiter or a broken token pass", async () => {
    const after = (name: string, token: string) =>
      `parsing "file://${dir}/${name}" failed. Reason: invalid character ${token} after top-level value`;
    expect(await failure("two.json", '{"a":1} {"b":2}')).toBe(after("two.json", "{"));
    expect(await failure("arr.json", '{"a":1} [')).toBe(after("arr.json", "["));
    expect(await failure("str.json", '{"a":1} "x y"')).toBe(after("str.json", "x y"));
    expect(await failure("num.json", '{"a":1} 12.50')).toBe(after("num.json", "12.50"));
    expect(await failure("true.json", '{"a":1} true')).toBe(after("true.json", "true"));
    expect(await failure("null.json", '{"a":1} null')).toBeUndefined();
    expect(await failure("close.json", '{"a":1} ]')).toBeUndefined();
    expect(await failure("broken.json", '{"a":1} tru')).toBeUndefined();
  });

  it("a good file gives its text and its first value", async () => {
    await writeFile(path.join(dir, "ok.json"), '{"a": 1.50} null');
    expect(await readSchemaFile(source("ok.json"))).toEqual({ ok: true, text: '{"a": 1.50} null', document: { a: 1.5 } });
  });

  it("FileStamps stands for a read only when the file's last change is a second older than the read, and sees any rewrite", async () => {
    const file = path.join(dir, "stamped.json");
    const stamps = new FileStamps();
    await writeFile(file, '{"a":1}');
    await stamps.beforeRead(file);
    // Written just now: a change in the same timestamp tick would leave the stat as it is, so it reads again.
    expect(await stamps.unchanged(file)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await stamps.beforeRead(file);
    expect(await stamps.unchanged(file)).toBe(true);
    // The same size, the old mtime put back: ctime still moves.
    const { mtime } = await stat(file);
    await writeFile(file, '{"a":2}');
    await utimes(file, mtime, mtime);
    expect(await stamps.unchanged(file)).toBe(false);
  });
});
