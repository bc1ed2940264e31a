import { contextTag, DerReader, oidString, TAG } from "./der";
import { goQuoteBytes as goQuote } from "@olympus/server-kit/go-strconv";
import { nameConstraintsError, subjectAltNameError } from "./names";

/**
 * The extensions of a version 3 certificate as crypto/x509/parser.go reads
 * them: parseCertificate's framing (each a SEQUENCE through
 * parseExtension, no OID twice), then processExtensions, which parses the
 * ones Go knows and returns the first error. Only the verdict is kept.
 */

interface Extension {
  oid: number[];
  critical: boolean;
  value: Buffer;
}

/** parseExtension. */
function parseExtension(der: DerReader): Extension | string {
  const oid = der.readObjectIdentifier();
  if (!oid) return "x509: malformed extension OID field";
  let critical = false;
  if (der.peek(TAG.BOOLEAN)) {
    const read = der.readBoolean();
    if (read === undefined) return "x509: malformed extension critical field";
    critical = read;
  }
  const value = der.read(TAG.OCTET_STRING);
  if (!value) return "x509: malformed extension value field";
  return { oid, critical, value };
}

const sequenceOf = (value: Buffer): DerReader | undefined => {
  const contents = new DerReader(value).read(TAG.SEQUENCE);
  return contents ? new DerReader(contents) : undefined;
};

function basicConstraintsError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid basic constraints";
  if (der.peek(TAG.BOOLEAN) && der.readBoolean() === undefined) return "x509: invalid basic constraints";
  if (der.peek(TAG.INTEGER)) {
    const pathLength = der.readUint64();
    if (pathLength === undefined || pathLength > 2n ** 63n - 1n) return "x509: invalid basic constraints";
  }
  return undefined;
}

function crlDistributionPointsError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid CRL distribution points";
  while (!der.empty()) {
    const point = der.read(TAG.SEQUENCE);
    if (!point) return "x509: invalid CRL distribution point";
    const name = new DerReader(point).readOptional(contextTag(0, true));
    if (!name) return "x509: invalid CRL distribution point";
    if (!name.present) continue;
    const fullName = new DerReader(name.contents).read(contextTag(0, true));
    if (!fullName) return "x509: invalid CRL distribution point";
    const names = new DerReader(fullName);
    while (!names.empty() && names.peek(contextTag(6))) {
      if (!names.read(contextTag(6))) return "x509: invalid CRL distribution point";
    }
  }
  return undefined;
}

function authorityKeyIdError(extension: Extension): string | undefined {
  // RFC 5280 §4.2.1.1: conforming CAs mark it non-critical.
  if (extension.critical) return "x509: authority key identifier incorrectly marked critical";
  const akid = new DerReader(extension.value).read(TAG.SEQUENCE);
  if (!akid) return "x509: invalid authority key identifier";
  const der = new DerReader(akid);
  if (der.peek(contextTag(0)) && !der.read(contextTag(0))) return "x509: invalid authority key identifier";
  return undefined;
}

function policyConstraintsError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid policy constraints extension";
  for (const tag of [contextTag(0), contextTag(1)]) {
    // int is 64 bits here, so the overflow checks after the reads never fire.
    if (der.peek(tag) && der.readInt64(tag) === undefined) return "x509: invalid policy constraints extension";
  }
  return undefined;
}

function extKeyUsageError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid extended key usages";
  while (!der.empty()) if (!der.readObjectIdentifier()) return "x509: invalid extended key usages";
  return undefined;
}

/** oid.go newOIDFromDER: not empty, the last byte ends an arc, no arc starts with 0x80. */
function validOidDer(der: Buffer): boolean {
  if (der.length === 0 || ((der[der.length - 1] ?? 0) & 0x80) !== 0) return false;
  let start = 0;
  for (let i = 0; i < der.length; i++) {
    const byte = der[i] ?? 0;
    if (i === start && byte === 0x80) return false;
    if ((byte & 0x80) === 0) start = i + 1;
  }
  return true;
}

function certificatePoliciesError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid certificate policies";
  const seen = new Set<string>();
  while (!der.empty()) {
    const policy = der.read(TAG.SEQUENCE);
    const oid = policy ? new DerReader(policy).read(TAG.OBJECT_IDENTIFIER) : undefined;
    if (!oid) return "x509: invalid certificate policies";
    const key = oid.toString("hex");
    if (seen.has(key) || !validOidDer(oid)) return "x509: invalid certificate policies";
    seen.add(key);
  }
  return undefined;
}

function policyMappingsError(value: Buffer): string | undefined {
  const der = sequenceOf(value);
  if (!der) return "x509: invalid policy mappings extension";
  while (!der.empty()) {
    const mapping = der.read(TAG.SEQUENCE);
    const pair = mapping ? new DerReader(mapping) : undefined;
    if (!pair?.read(TAG.OBJECT_IDENTIFIER) || !pair.read(TAG.OBJECT_IDENTIFIER)) return "x509: invalid policy mappings extension";
  }
  return undefined;
}

function authorityInfoAccessError(extension: Extension): string | undefined {
  if (extension.critical) return "x509: authority info access incorrectly marked critical";
  const der = sequenceOf(extension.value);
  if (!der) return "x509: invalid authority info access";
  while (!der.empty()) {
    const description = der.read(TAG.SEQUENCE);
    const access = description ? new DerReader(description) : undefined;
    if (!access?.readObjectIdentifier()) return "x509: invalid authority info access";
    if (access.peek(contextTag(6)) && !access.read(contextTag(6))) return "x509: invalid authority info access";
  }
  return undefined;
}

/** processExtensions for one id-ce extension (2.5.29.n). */
function idCeError(arc: number, extension: Extension): string | undefined {
  const { value } = extension;
  switch (arc) {
    case 15:
      return new DerReader(value).readBitString() ? undefined : "x509: invalid key usage";
    case 19:
      return basicConstraintsError(value);
    case 17:
      return subjectAltNameError(value);
    case 30:
      return nameConstraintsError(value);
    case 31:
      return crlDistributionPointsError(value);
    case 35:
      return authorityKeyIdError(extension);
    case 36:
      return policyConstraintsError(value);
    case 37:
      return extKeyUsageError(value);
    case 14:
      // RFC 5280 §4.2.1.2: conforming CAs mark it non-critical.
      if (extension.critical) return "x509: subject key identifier incorrectly marked critical";
      return new DerReader(value).read(TAG.OCTET_STRING) ? undefined : "x509: invalid subject key identifier";
    case 32:
      return certificatePoliciesError(value);
    case 33:
      return policyMappingsError(value);
    case 54:
      return new DerReader(value).readInt64() === undefined ? "x509: invalid inhibit any policy extension" : undefined;
    default:
      return undefined;
  }
}

const AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";

/** The extensions [3] element's contents: parseCertificate's loop, then processExtensions. */
export function extensionsError(contents: Buffer): string | undefined {
  const list = new DerReader(contents).read(TAG.SEQUENCE);
  if (!list) return "x509: malformed extensions";
  const der = new DerReader(list);
  const extensions: Extension[] = [];
  const seen = new Set<string>();
  while (!der.empty()) {
    const element = der.read(TAG.SEQUENCE);
    if (!element) return "x509: malformed extension";
    const extension = parseExtension(new DerReader(element));
    if (typeof extension === "string") return extension;
    const id = oidString(extension.oid);
    if (seen.has(id)) return `x509: certificate contains duplicate extension with OID ${goQuote(Buffer.from(id))}`;
    seen.add(id);
    extensions.push(extension);
  }
  for (const extension of extensions) {
    const [a, b, c, d] = extension.oid;
    const error =
      extension.oid.length === 4 && a === 2 && b === 5 && c === 29
        ? idCeError(d ?? 0, extension)
        : oidString(extension.oid) === AUTHORITY_INFO_ACCESS
          ? authorityInfoAccessError(extension)
          : undefined;
    if (error) return error;
  }
  return undefined;
}
