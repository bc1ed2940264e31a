/**
 * The one gob value gorilla/sessions writes into Kratos' continuity cookie:
 * a `map[interface{}]interface{}` of string keys to string values
 * (securecookie's default GobEncoder). Encoding writes what Go's
 * encoding/gob writes for it — a type definition message for the map type,
 * then the value message — and decoding reads any stream of that shape,
 * whatever type id the writing process gave the map type.
 */

// encoding/gob's predeclared ids: string is 6; the first type a process defines gets 65.
const STRING_TYPE_ID = 6;
const MAP_TYPE_ID = 65;

export function gobEncodeStringMap(values: ReadonlyMap<string, string>): Buffer {
  // wireType{MapT: mapType{CommonType{Id: 65}, Key: interface (8), Elem: interface (8)}}, fields as deltas.
  const definition = Buffer.concat([
    gobInt(-MAP_TYPE_ID),
    Buffer.from([0x04, 0x01, 0x02]),
    gobInt(MAP_TYPE_ID),
    Buffer.from([0x00, 0x01, 0x10, 0x01, 0x10, 0x00, 0x00]),
  ]);
  const entries: Buffer[] = [];
  for (const [key, value] of values) entries.push(gobStringInterface(key), gobStringInterface(value));
  const value = Buffer.concat([gobInt(MAP_TYPE_ID), Buffer.from([0x00]), gobUint(values.size), ...entries]);
  return Buffer.concat([message(definition), message(value)]);
}

/** The string entries of a gob-encoded `map[interface{}]interface{}`, or undefined for anything else. */
export function gobDecodeStringMap(data: Buffer): Map<string, string> | undefined {
  const reader = new Reader(data);
  try {
    while (!reader.done()) {
      const end = reader.uint() + reader.offset;
      if (end > data.length) return undefined;
      const id = reader.int();
      if (id < 0) {
        // A type definition: its content does not matter, only the value's shape is read.
        reader.offset = end;
        continue;
      }
      if (reader.uint() !== 0) return undefined;
      const count = reader.uint();
      const out = new Map<string, string>();
      for (let i = 0; i < count; i++) {
        const key = reader.stringInterface();
        const value = reader.stringInterface();
        if (key === undefined || value === undefined) return undefined;
        out.set(key, value);
      }
      return reader.offset === end ? out : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function gobStringInterface(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const inner = Buffer.concat([Buffer.from([0x00]), gobUint(bytes.length), bytes]);
  return Buffer.concat([gobUint(6), Buffer.from("string"), gobInt(STRING_TYPE_ID), message(inner)]);
}

const message = (body: Buffer) => Buffer.concat([gobUint(body.length), body]);

/** gob's unsigned integers: one byte below 128, else the negated byte count and the big-endian bytes. */
function gobUint(value: number): Buffer {
  if (value < 128) return Buffer.from([value]);
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([256 - bytes.length, ...bytes]);
}

function gobInt(value: number): Buffer {
  return gobUint(value < 0 ? ((-value - 1) << 1) | 1 : value << 1);
}

class Reader {
  offset = 0;
  constructor(private readonly data: Buffer) {}

  done(): boolean {
    return this.offset >= this.data.length;
  }

  uint(): number {
    const first = this.byte();
    if (first < 128) return first;
    const count = 256 - first;
    if (count > 6) throw new Error("gob: uint too large");
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 256 + this.byte();
    return value;
  }

  int(): number {
    const u = this.uint();
    return u % 2 === 1 ? -((u - 1) / 2) - 1 : u / 2;
  }

  /** An interface value holding a string (name "string", type 6, a singleton message); undefined for other types. */
  stringInterface(): string | undefined {
    const name = this.take(this.uint()).toString("latin1");
    if (name !== "string" || this.int() !== STRING_TYPE_ID) return undefined;
    const end = this.uint() + this.offset;
    if (this.uint() !== 0) return undefined;
    const text = this.take(this.uint()).toString("utf8");
    return this.offset === end ? text : undefined;
  }

  private byte(): number {
    const value = this.data[this.offset];
    if (value === undefined) throw new Error("gob: unexpected end");
    this.offset++;
    return value;
  }

  private take(length: number): Buffer {
    if (this.offset + length > this.data.length) throw new Error("gob: unexpected end");
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}
