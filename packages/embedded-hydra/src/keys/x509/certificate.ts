import { readAsn1Time } from "./asn1-time";
import { contextTag, DerReader, TAG } from "./der";
import { extensionsError } from "./extensions";
import { parseNameError } from "./name";
import { knownPublicKeyAlgorithm, parsePublicKey, type AlgorithmIdentifier, type GoPublicKey } from "./public-key";

/**
 * Go 1.26's x509.ParseCertificate (crypto/x509/parser.go parseCertificate,
 * then the trailing-data check): the same walk over the DER in the same
 * order, so a certificate Go refuses gets Go's error text — the first
 * field it cannot read — and one Go reads gets the public key Go makes of
 * it. Signatures are not checked (Go does not at parse time either).
 */

export interface GoCertificate {
  /** Certificate.Raw: the certificate SEQUENCE, header included. */
  raw: Buffer;
  /** Undefined for an algorithm Go's x509 does not know (its PublicKey is nil). */
  publicKey: GoPublicKey | undefined;
}

/** parseAI over an AlgorithmIdentifier's contents. */
function parseAlgorithm(contents: Buffer): AlgorithmIdentifier | string {
  const der = new DerReader(contents);
  const oid = der.readObjectIdentifier();
  if (!oid) return "x509: malformed OID";
  if (der.empty()) return { oid: oid.join("."), parameters: Buffer.alloc(0) };
  const parameters = der.readAny(true);
  if (!parameters) return "x509: malformed parameters";
  return { oid: oid.join("."), parameters: parameters.contents };
}

/** The TBSCertificate fields after the signature algorithm: names, validity, key, unique ids, extensions. */
function tbsRestError(tbs: DerReader, version: number): GoPublicKey | undefined | string {
  const issuer = tbs.readElement(TAG.SEQUENCE);
  if (!issuer) return "x509: malformed issuer";
  const issuerError = parseNameError(issuer);
  if (issuerError) return issuerError;

  const validity = tbs.read(TAG.SEQUENCE);
  if (!validity) return "x509: malformed validity";
  const times = new DerReader(validity);
  const timeError = readAsn1Time(times) ?? readAsn1Time(times);
  if (timeError) return timeError;

  const subject = tbs.readElement(TAG.SEQUENCE);
  // Go reuses the issuer's text here.
  if (!subject) return "x509: malformed issuer";
  const subjectError = parseNameError(subject);
  if (subjectError) return subjectError;

  const spkiElement = tbs.read(TAG.SEQUENCE);
  if (!spkiElement) return "x509: malformed spki";
  const spki = new DerReader(spkiElement);
  const algorithmContents = spki.read(TAG.SEQUENCE);
  if (!algorithmContents) return "x509: malformed public key algorithm identifier";
  const algorithm = parseAlgorithm(algorithmContents);
  if (typeof algorithm === "string") return algorithm;
  const bits = spki.readBitString();
  if (!bits) return "x509: malformed subjectPublicKey";
  let publicKey: GoPublicKey | undefined;
  if (knownPublicKeyAlgorithm(algorithm.oid)) {
    const parsed = parsePublicKey(algorithm, bits);
    if (typeof parsed === "string") return parsed;
    publicKey = parsed;
  }

  if (version > 1) {
    if (!tbs.skipOptional(contextTag(1))) return "x509: malformed issuerUniqueID";
    if (!tbs.skipOptional(contextTag(2))) return "x509: malformed subjectUniqueID";
    if (version === 3) {
      const extensions = tbs.readOptional(contextTag(3, true));
      if (!extensions) return "x509: malformed extensions";
      if (extensions.present) {
        const error = extensionsError(extensions.contents);
        if (error) return error;
      }
    }
  }
  return publicKey;
}

/** x509.ParseCertificate: the certificate, or Go's error text. */
export function parseGoCertificate(der: Buffer): GoCertificate | string {
  const input = new DerReader(der);
  const raw = input.readElement(TAG.SEQUENCE);
  const certificate = raw ? new DerReader(raw).read(TAG.SEQUENCE) : undefined;
  if (!raw || !certificate) return "x509: malformed certificate";
  const outer = new DerReader(certificate);

  const tbsElement = outer.readElement(TAG.SEQUENCE);
  const tbsContents = tbsElement ? new DerReader(tbsElement).read(TAG.SEQUENCE) : undefined;
  if (!tbsContents) return "x509: malformed tbs certificate";
  const tbs = new DerReader(tbsContents);

  // The version is [0] EXPLICIT INTEGER DEFAULT v1, at most v3; Go counts from one.
  const versionField = tbs.readOptional(contextTag(0, true));
  let version = 0n;
  if (versionField?.present) {
    const inner = new DerReader(versionField.contents);
    const read = inner.readInt64();
    if (read === undefined || !inner.empty()) return "x509: malformed version";
    version = read;
  }
  if (!versionField || version < 0n || version > 3n) return "x509: malformed version";
  if (version + 1n > 3n) return "x509: invalid version";

  const serial = tbs.readBigInteger();
  if (serial === undefined) return "x509: malformed serial number";
  // Go 1.23 and later refuse a negative serial unless GODEBUG x509negativeserial=1 (Hydra does not set it).
  if (serial < 0n) return "x509: negative serial number";

  const signatureAlgorithmElement = tbs.readElement(TAG.SEQUENCE);
  const signatureAlgorithm = signatureAlgorithmElement ? new DerReader(signatureAlgorithmElement).read(TAG.SEQUENCE) : undefined;
  if (!signatureAlgorithm) return "x509: malformed signature algorithm identifier";
  const outerAlgorithm = outer.read(TAG.SEQUENCE);
  if (!outerAlgorithm) return "x509: malformed algorithm identifier";
  if (!outerAlgorithm.equals(signatureAlgorithm)) return "x509: inner and outer signature algorithm identifiers don't match";
  const algorithm = parseAlgorithm(signatureAlgorithm);
  if (typeof algorithm === "string") return algorithm;

  const publicKey = tbsRestError(tbs, Number(version) + 1);
  if (typeof publicKey === "string") return publicKey;

  if (!outer.readBitString()) return "x509: malformed signature";
  if (raw.length !== der.length) return "x509: trailing data";
  return { raw, publicKey };
}
