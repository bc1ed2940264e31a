import { readAsn1Time } from "./asn1-time";
import { DerReader, TAG } from "./der";

/**
 * parser.go parseName with readASN1Any and parseASN1String: a Name is a
 * SEQUENCE of SETs of (OID, value) SEQUENCEs; string values must hold
 * their type's characters, and the other universal types must be well
 * formed. Only the verdict and the error text matter here.
 */

/** isPrintable, with the '*' and '&' Go tolerates. */
const PRINTABLE = /^[a-zA-Z0-9'()+,\-./:=? *&]*$/;

/** The 16-bit code points parseASN1String refuses in a BMPString: noncharacters and surrogates. */
const badBmpPoint = (point: number) =>
  point === 0xfffe || point === 0xffff || (point >= 0xfdd0 && point <= 0xfdef) || (point >= 0xd800 && point <= 0xdfff);

function validUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** isIA5String over a Go string: every rune ASCII (a byte that is not UTF-8 reads as U+FFFD). */
export const isIa5 = (bytes: Buffer): boolean => bytes.every((byte) => byte < 0x80);

/** parseASN1String: the error text, or undefined when the value is a valid string of its type. */
function stringError(tag: number, value: Buffer): string | undefined {
  switch (tag) {
    case TAG.T61String:
      return undefined;
    case TAG.PrintableString:
      return PRINTABLE.test(value.toString("latin1")) ? undefined : "invalid PrintableString";
    case TAG.UTF8String:
      return validUtf8(value) ? undefined : "invalid UTF-8 string";
    case TAG.BMPString: {
      if (value.length % 2 !== 0) return "invalid BMPString";
      // A trailing NUL terminator is dropped before the check.
      const end = value.length >= 2 && value[value.length - 1] === 0 && value[value.length - 2] === 0 ? value.length - 2 : value.length;
      for (let i = 0; i < end; i += 2) if (badBmpPoint(value.readUInt16BE(i))) return "invalid BMPString";
      return undefined;
    }
    case TAG.IA5String:
      return isIa5(value) ? undefined : "invalid IA5String";
    default:
      return /^[0-9 ]*$/.test(value.toString("latin1")) ? undefined : "invalid NumericString";
  }
}

const STRING_TAGS: readonly number[] = [
  TAG.T61String,
  TAG.PrintableString,
  TAG.UTF8String,
  TAG.BMPString,
  TAG.IA5String,
  TAG.NumericString,
];

/** readASN1Any: the error text for the next value, or undefined. */
function readAny(der: DerReader): string | undefined {
  const element = der.readAny(true);
  if (!element) return "invalid ASN.1 element";
  const full = new DerReader(element.contents);
  const { tag } = element;
  if (STRING_TAGS.includes(tag)) {
    const value = full.read(tag);
    return value ? stringError(tag, value) : "invalid ASN.1 element";
  }
  switch (tag) {
    case TAG.INTEGER:
      return full.readInt64() === undefined ? "invalid ASN.1 integer" : undefined;
    case TAG.BIT_STRING:
      return full.readBitString() ? undefined : "invalid ASN.1 BIT STRING";
    case TAG.OCTET_STRING:
      return full.read(TAG.OCTET_STRING) ? undefined : "invalid ASN.1 OCTET STRING";
    case TAG.OBJECT_IDENTIFIER:
      return full.readObjectIdentifier() ? undefined : "invalid ASN.1 OBJECT IDENTIFIER";
    case TAG.UTCTime:
    case TAG.GeneralizedTime:
      return readAsn1Time(full);
    case TAG.BOOLEAN:
      return full.readBoolean() === undefined ? "invalid ASN.1 BOOLEAN" : undefined;
    default:
      // NULL and any other type: the element was read already.
      return undefined;
  }
}

/** parseName over the Name SEQUENCE element (header included). */
export function parseNameError(raw: Buffer): string | undefined {
  const rdns = new DerReader(raw).read(TAG.SEQUENCE);
  if (!rdns) return "x509: invalid RDNSequence";
  const sequence = new DerReader(rdns);
  while (!sequence.empty()) {
    const set = sequence.read(TAG.SET);
    if (!set) return "x509: invalid RDNSequence";
    const attributes = new DerReader(set);
    while (!attributes.empty()) {
      const atav = attributes.read(TAG.SEQUENCE);
      if (!atav) return "x509: invalid RDNSequence: invalid attribute";
      const attribute = new DerReader(atav);
      if (!attribute.readObjectIdentifier()) return "x509: invalid RDNSequence: invalid attribute type";
      const error = readAny(attribute);
      if (error) return `x509: invalid RDNSequence: invalid attribute value: ${error}`;
    }
  }
  return undefined;
}
