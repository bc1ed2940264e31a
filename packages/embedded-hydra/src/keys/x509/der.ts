/**
 * golang.org/x/crypto/cryptobyte's String, the DER reader Go's x509
 * parser (crypto/x509/parser.go) walks a certificate with: each read
 * either consumes one well-formed element and returns true, or returns
 * false and leaves the input as it was. DER's rules are cryptobyte's
 * (asn1.go readASN1): low tag numbers only, definite lengths of at most
 * four bytes in their shortest form.
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  ENUM: 0x0a,
  UTF8String: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
} as const;

/** asn1.Tag(n).ContextSpecific(), optionally .Constructed(). */
export const contextTag = (n: number, constructed = false): number => 0x80 | (constructed ? 0x20 : 0) | n;

export interface BitString {
  bytes: Buffer;
  bitLength: number;
}

/** checkASN1Integer: not empty and minimally encoded. */
function validInteger(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  if (bytes.length === 1) return true;
  const [first = 0, second = 0] = bytes;
  return !((first === 0 && (second & 0x80) === 0) || (first === 0xff && (second & 0x80) === 0x80));
}

/** Two's complement big-endian bytes as a number. */
function signedValue(bytes: Buffer): bigint {
  const unsigned = BigInt(`0x${bytes.toString("hex")}`);
  return (bytes[0] ?? 0) & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

export class DerReader {
  constructor(private data: Buffer) {}

  get bytes(): Buffer {
    return this.data;
  }

  empty(): boolean {
    return this.data.length === 0;
  }

  /** readASN1: the next element's tag, header length and total length, without consuming it. */
  private header(): { tag: number; headerLength: number; length: number } | undefined {
    const s = this.data;
    if (s.length < 2) return undefined;
    const tag = s[0] ?? 0;
    const lengthByte = s[1] ?? 0;
    if ((tag & 0x1f) === 0x1f) return undefined;
    if ((lengthByte & 0x80) === 0) {
      return s.length < lengthByte + 2 ? undefined : { tag, headerLength: 2, length: lengthByte + 2 };
    }
    const lengthLength = lengthByte & 0x7f;
    if (lengthLength === 0 || lengthLength > 4 || s.length < 2 + lengthLength) return undefined;
    const contents = s.readUIntBE(2, lengthLength);
    // Long form for a length short form holds, or with a leading zero byte, is not DER.
    if (contents < 128 || (s[2] ?? 0) === 0) return undefined;
    const length = 2 + lengthLength + contents;
    return s.length < length ? undefined : { tag, headerLength: 2 + lengthLength, length };
  }

  /** ReadAnyASN1 (contents) or ReadAnyASN1Element (with the header). */
  readAny(withHeader = false): { tag: number; contents: Buffer } | undefined {
    const h = this.header();
    if (!h) return undefined;
    const element = this.data.subarray(0, h.length);
    this.data = this.data.subarray(h.length);
    return { tag: h.tag, contents: withHeader ? element : element.subarray(h.headerLength) };
  }

  /** ReadASN1: the contents of an element with this tag. */
  read(tag: number): Buffer | undefined {
    const h = this.header();
    if (!h || h.tag !== tag) return undefined;
    return this.readAny()?.contents;
  }

  /** ReadASN1Element: the whole element (header included) with this tag. */
  readElement(tag: number): Buffer | undefined {
    const h = this.header();
    if (!h || h.tag !== tag) return undefined;
    return this.readAny(true)?.contents;
  }

  peek(tag: number): boolean {
    return this.data.length > 0 && this.data[0] === tag;
  }

  /** ReadOptionalASN1: undefined when the element is there but malformed; present false when another tag (or nothing) follows. */
  readOptional(tag: number): { present: boolean; contents: Buffer } | undefined {
    if (!this.peek(tag)) return { present: false, contents: Buffer.alloc(0) };
    const contents = this.read(tag);
    return contents ? { present: true, contents } : undefined;
  }

  /** SkipOptionalASN1. */
  skipOptional(tag: number): boolean {
    return this.readOptional(tag) !== undefined;
  }

  /** ReadASN1Integer into a *big.Int. */
  readBigInteger(tag: number = TAG.INTEGER): bigint | undefined {
    const saved = this.data;
    const bytes = this.read(tag);
    if (!bytes || !validInteger(bytes)) {
      this.data = saved;
      return undefined;
    }
    return signedValue(bytes);
  }

  /** ReadASN1Integer into an int64 (or ReadASN1Int64WithTag): at most eight bytes. */
  readInt64(tag: number = TAG.INTEGER): bigint | undefined {
    const saved = this.data;
    const bytes = this.read(tag);
    if (!bytes || !validInteger(bytes) || bytes.length > 8) {
      this.data = saved;
      return undefined;
    }
    return signedValue(bytes);
  }

  /** ReadASN1Integer into a uint (64 bits): not negative, at most 64 bits. */
  readUint64(): bigint | undefined {
    const saved = this.data;
    const bytes = this.read(TAG.INTEGER);
    const ok =
      bytes && validInteger(bytes) && !(bytes.length > 9 || (bytes.length === 9 && bytes[0] !== 0)) && ((bytes[0] ?? 0) & 0x80) === 0;
    if (!ok) {
      this.data = saved;
      return undefined;
    }
    return signedValue(bytes);
  }

  readBoolean(): boolean | undefined {
    const saved = this.data;
    const bytes = this.read(TAG.BOOLEAN);
    if (bytes?.length === 1 && (bytes[0] === 0 || bytes[0] === 0xff)) return bytes[0] === 0xff;
    this.data = saved;
    return undefined;
  }

  readBitString(): BitString | undefined {
    const saved = this.data;
    const contents = this.read(TAG.BIT_STRING);
    if (contents && contents.length > 0) {
      const padding = contents[0] ?? 0;
      const bytes = contents.subarray(1);
      const last = bytes[bytes.length - 1] ?? 0;
      const ok = padding <= 7 && !(bytes.length === 0 && padding !== 0) && !(bytes.length > 0 && (last & ((1 << padding) - 1)) !== 0);
      if (ok) return { bytes, bitLength: bytes.length * 8 - padding };
    }
    this.data = saved;
    return undefined;
  }

  /** ReadASN1ObjectIdentifier: each arc in base 128, none past 2^31 − 1 (cryptobyte's readBase128Int). */
  readObjectIdentifier(): number[] | undefined {
    const saved = this.data;
    const bytes = this.read(TAG.OBJECT_IDENTIFIER);
    const arcs = bytes && bytes.length > 0 ? decodeOid(bytes) : undefined;
    if (!arcs) this.data = saved;
    return arcs;
  }
}

function decodeOid(bytes: Buffer): number[] | undefined {
  const values: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    let value = 0;
    let done = false;
    for (let i = 0; at < bytes.length; i++) {
      if (i === 5 || value >= 1 << 24) return undefined;
      const byte = bytes[at++] ?? 0;
      if (i === 0 && byte === 0x80) return undefined;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) {
        done = true;
        break;
      }
    }
    if (!done) return undefined;
    values.push(value);
  }
  const [first = 0, ...rest] = values;
  return first < 80 ? [Math.floor(first / 40), first % 40, ...rest] : [2, first - 80, ...rest];
}

/** asn1.ObjectIdentifier.String. */
export const oidString = (arcs: readonly number[]): string => arcs.join(".");
