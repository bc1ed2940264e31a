import diagnostics from "node:diagnostics_channel";
import { isIP } from "node:net";
import { TLSSocket, type DetailedPeerCertificate } from "node:tls";
import { goNameCheckRequired } from "./provider-fetch";
import { goQuote } from "@olympus/server-kit/go-strconv";

/**
 * Certificate failures in the words of Go's crypto/tls and crypto/x509,
 * which Kratos' provider calls run on: `tls: failed to verify certificate:
 * <x509 error>` (handshake_client.go verifyServerCertificate wraps what
 * Certificate.Verify returns in a CertificateVerificationError).
 *
 * Go's texts name the certificate's dates and names, and Go checks in its
 * own order (verify.go Verify: the leaf's validity period first, then the
 * host name, then the chain to a trusted root), while OpenSSL under Node
 * checks the chain and its dates during the handshake and the name only
 * after it, and its errors carry no certificate. So the certificate each
 * refused TLS connection was shown is recorded from Node's
 * `net.client.socket` channel (fetch's sockets included) and looked up by
 * the error the socket failed with.
 *
 * Node's name check (tls.checkServerIdentity) is laxer than Go's
 * VerifyHostname: it falls back to the subject's common name when the
 * certificate names no DNS host, and takes partial wildcards
 * (`f*.example.com`). So a provider connection Node accepted (trusted
 * chain, its name check passed) is refused here when Go's check fails,
 * with an error of the kind Node's name check gives.
 */

const refusedCertificates = new WeakMap<object, DetailedPeerCertificate>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

diagnostics.subscribe("net.client.socket", (message) => {
  if (!isRecord(message) || !(message.socket instanceof TLSSocket)) return;
  const socket = message.socket;
  let shown: DetailedPeerCertificate | undefined;
  // Prepended: Node's own "secure" listener refuses a certificate by destroying the socket, after which it is gone.
  socket.prependOnceListener("secure", () => {
    const certificate = socket.getPeerCertificate(true);
    if (Object.keys(certificate).length > 0) shown = certificate;
  });
  socket.prependOnceListener("error", (error: unknown) => {
    if (shown && isRecord(error)) refusedCertificates.set(error, shown);
  });
  if (goNameCheckRequired()) socket.prependOnceListener("secureConnect", () => refuseNameGoRejects(socket));
});

/** Destroys an accepted connection whose certificate Go's VerifyHostname refuses for the host asked for (an IP host: Node and Go agree). */
function refuseNameGoRejects(socket: TLSSocket): void {
  const host: unknown = socket.servername;
  if (!socket.authorized || typeof host !== "string" || host === "" || isIP(host)) return;
  const certificate = socket.getPeerCertificate(true);
  if (Object.keys(certificate).length === 0 || matchesHost(certificate, host)) return;
  const error = Object.assign(new Error(`Hostname/IP does not match certificate's altnames: Host: ${host}.`), {
    code: NAME_MISMATCH,
    host,
    cert: certificate,
  });
  socket.destroy(error);
}

/** OpenSSL's verdicts for a chain that does not lead to a trusted root (Go: UnknownAuthorityError). */
const UNKNOWN_AUTHORITY = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);
const OUT_OF_VALIDITY = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const NAME_MISMATCH = "ERR_TLS_CERT_ALTNAME_INVALID";

const VERIFY_PREFIX = "tls: failed to verify certificate: ";
const UNKNOWN_AUTHORITY_TEXT = "x509: certificate signed by unknown authority";

/**
 * Go's text for a refused server certificate, or undefined when `cause`
 * (the socket error under fetch's TypeError) is no certificate verdict.
 * `host` is the URL's host name, `now` the time of the check.
 */
export function goCertificateText(cause: Record<string, unknown>, host: string, now: Date): string | undefined {
  const code = typeof cause.code === "string" ? cause.code : "";
  if (code === NAME_MISMATCH) {
    const certificate = isRecord(cause.cert) ? (cause.cert as unknown as DetailedPeerCertificate) : undefined;
    return certificate ? VERIFY_PREFIX + hostnameErrorText(certificate, host) : undefined;
  }
  if (!UNKNOWN_AUTHORITY.has(code) && !OUT_OF_VALIDITY.has(code)) return undefined;
  const leaf = refusedCertificates.get(cause);
  if (!leaf) return UNKNOWN_AUTHORITY.has(code) ? VERIFY_PREFIX + UNKNOWN_AUTHORITY_TEXT : undefined;
  // verify.go Verify: the leaf's isValid (its validity period), then VerifyHostname, then buildChains.
  const leafValidity = validityErrorText(leaf, now);
  if (leafValidity) return VERIFY_PREFIX + leafValidity;
  if (!matchesHost(leaf, host)) return VERIFY_PREFIX + hostnameErrorText(leaf, host);
  // buildChains: a candidate authority out of its validity period is passed over, its error kept as a hint.
  const authority = chainOf(leaf).find((certificate) => validityErrorText(certificate, now) !== undefined);
  if (!authority) return VERIFY_PREFIX + UNKNOWN_AUTHORITY_TEXT;
  const hint = validityErrorText(authority, now) ?? "";
  return `${VERIFY_PREFIX}${UNKNOWN_AUTHORITY_TEXT} (possibly because of ${goQuote(hint)} while trying to verify candidate authority certificate ${goQuote(certificateName(authority))})`;
}

/** verify.go isValid: `x509: certificate has expired or is not yet valid: current time <now> is after|before <bound>`. */
function validityErrorText(certificate: DetailedPeerCertificate, now: Date): string | undefined {
  const notBefore = new Date(certificate.valid_from);
  const notAfter = new Date(certificate.valid_to);
  const prefix = "x509: certificate has expired or is not yet valid: current time";
  if (now < notBefore) return `${prefix} ${rfc3339(now)} is before ${rfc3339(notBefore)}`;
  if (now > notAfter) return `${prefix} ${rfc3339(now)} is after ${rfc3339(notAfter)}`;
  return undefined;
}

/** Go's time.RFC3339 of a UTC time (Kratos runs in UTC): whole seconds, `Z`. */
const rfc3339 = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** The certificates above the leaf, as the handshake showed them (a self-signed root refers to itself). */
function chainOf(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  let current = leaf;
  while (isRecord(current.issuerCertificate) && current.issuerCertificate !== current && !chain.includes(current.issuerCertificate)) {
    current = current.issuerCertificate;
    chain.push(current);
  }
  return chain;
}

/** UnknownAuthorityError's name of the hint certificate: its common name, else organization, else `serial:<decimal>`. */
function certificateName(certificate: DetailedPeerCertificate): string {
  const commonName = first(certificate.subject.CN);
  if (commonName) return commonName;
  const organization = first(certificate.subject.O);
  if (organization) return organization;
  return `serial:${BigInt(`0x${certificate.serialNumber}`).toString()}`;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

interface AlternativeNames {
  present: boolean;
  dns: string[];
  ips: string[];
}

/** The subject alternative names Node prints (`DNS:a, IP Address:127.0.0.1`; values holding a comma JSON-quoted). */
function alternativeNames(certificate: DetailedPeerCertificate): AlternativeNames {
  const text = certificate.subjectaltname;
  const names: AlternativeNames = { present: typeof text === "string", dns: [], ips: [] };
  if (typeof text !== "string") return names;
  for (const entry of text.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(":");
    const kind = trimmed.slice(0, colon);
    const raw = trimmed.slice(colon + 1);
    const value = raw.startsWith('"') ? String(JSON.parse(raw)) : raw;
    if (kind === "DNS") names.dns.push(value);
    if (kind === "IP Address") names.ips.push(goIpString(value));
  }
  return names;
}

/** net.IP's String: IPv6 in its shortest form (Node prints every group). */
const goIpString = (ip: string) => (isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip);

/** verify.go VerifyHostname: an IP host against the IP names, any other against the DNS names (wildcards leftmost). */
function matchesHost(certificate: DetailedPeerCertificate, host: string): boolean {
  const names = alternativeNames(certificate);
  if (isIP(host)) return names.ips.includes(goIpString(host));
  return names.dns.some((pattern) => matchHostnames(pattern, host));
}

/** verify.go matchHostnames: case-insensitive labels, a `*` label matching one label, trailing dots ignored. */
function matchHostnames(pattern: string, host: string): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, "");
  const given = pattern.toLowerCase().replace(/\.$/, "");
  if (wanted === "" || given === "") return false;
  const patternLabels = given.split(".");
  const hostLabels = wanted.split(".");
  if (patternLabels.length !== hostLabels.length) return false;
  return patternLabels.every((label, i) => (i === 0 && label === "*") || label === hostLabels[i]);
}

/** verify.go HostnameError.Error. */
function hostnameErrorText(certificate: DetailedPeerCertificate, host: string): string {
  const names = alternativeNames(certificate);
  const commonName = first(certificate.subject.CN);
  if (!names.present && commonName && matchHostnames(commonName, host))
    return "x509: certificate relies on legacy Common Name field, use SANs instead";
  let valid: string;
  if (isIP(host)) {
    if (names.ips.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    valid = names.ips.join(", ");
  } else {
    valid = names.dns.join(", ");
  }
  if (valid === "") return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}
