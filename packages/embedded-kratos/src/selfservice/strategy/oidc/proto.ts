/**
 * The protobuf wire format for the one message this strategy exchanges
 * (oidc.v1.State): length-delimited and varint fields only, written in
 * field order with proto3's rule of leaving out empty values, as Go's
 * proto.Marshal does; reading skips unknown fields and refuses malformed
 * input, as proto.Unmarshal does.
 */
export type ProtoField = { field: number; bytes: Buffer } | { field: number; varint: number };

export function writeProto(fields: readonly ProtoField[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    if ("bytes" in f) {
      if (f.bytes.length === 0) continue;
      parts.push(varint((f.field << 3) | 2), varint(f.bytes.length), f.bytes);
    } else {
      if (f.varint === 0) continue;
      parts.push(varint(f.field << 3), varint(f.varint));
    }
  }
  return Buffer.concat(parts);
}

export interface ProtoMessage {
  bytes: Map<number, Buffer>;
  varints: Map<number, number>;
}

/** The last value of each field (as proto3 keeps for singular fields), or undefined for bytes that are not a message. */
export function readProto(data: Buffer): ProtoMessage | undefined {
  const out: ProtoMessage = { bytes: new Map(), varints: new Map() };
  let offset = 0;
  const readVarint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      const byte = data[offset++];
      if (byte === undefined) return undefined;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    return undefined;
  };
  while (offset < data.length) {
    const key = readVarint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return undefined;
    switch (wire) {
      case 0: {
        const value = readVarint();
        if (value === undefined) return undefined;
        out.varints.set(field, value);
        break;
      }
      case 1:
      case 5: {
        offset += wire === 1 ? 8 : 4;
        if (offset > data.length) return undefined;
        break;
      }
      case 2: {
        const length = readVarint();
        if (length === undefined || offset + length > data.length) return undefined;
        out.bytes.set(field, data.subarray(offset, offset + length));
        offset += length;
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
