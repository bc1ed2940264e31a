import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { checkServerIdentity, connect, getCACertificates, setDefaultCACertificates, type PeerCertificate } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KratosError } from "../../../http/errors";
import { providerConfiguration } from "./client";
import { goNetworkText } from "./go-net-errors";
import {
  COMMON_NAME_ONLY_CERT,
  EXPIRED_CERT,
  EXPIRED_INTERMEDIATE_CERT,
  KEY,
  LEAF_UNDER_EXPIRED_INTERMEDIATE_CERT,
  NOT_YET_VALID_CERT,
  TRUSTED_CERT,
  TRUSTED_COMMON_NAME_ONLY_CERT,
  TRUSTED_ROOT_CERT,
} from "./testing/certificates";
import { genericProvider } from "./testing/generic-provider";

/**
 * A provider's refused certificate in the words of Go's crypto/tls and
 * crypto/x509, as Kratos' provider calls report it (`<Method> "<url>":
 * tls: failed to verify certificate: <x509 error>`): crypto/tls
 * handshake_client.go verifyServerCertificate wraps what x509
 * Certificate.Verify (verify.go) returns — the leaf's validity period
 * first (isValid), then its names (VerifyHostname, HostnameError.Error),
 * then the chain (buildChains, UnknownAuthorityError.Error with the hint
 * of a candidate authority it passed over). Each failure comes from a real
 * TLS server; Node's own verdicts come in OpenSSL's order and without the
 * certificate, so these fail on a plain mapping of Node's error codes.
 */

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function tlsServer(cert: string, host = "127.0.0.1"): Promise<number> {
  const server = createServer({ key: KEY, cert }, (_req, res) => res.end("{}"));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/** The Go text of a GET of `url`, with the time of the check around it (Go prints time.Now in whole seconds). */
async function failedGet(url: string): Promise<{ text: string | undefined; before: Date; after: Date }> {
  const before = new Date(Math.floor(Date.now() / 1000) * 1000);
  const error = await fetch(url).then(
    () => undefined,
    (e: unknown) => e,
  );
  const after = new Date();
  return { text: goNetworkText("Get", url, error), before, after };
}

/** The `current time` Go printed, checked to lie within the request. */
function checkedNow(text: string | undefined, before: Date, after: Date): string {
  const printed = /current time (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/.exec(text ?? "")?.[1] ?? "";
  const at = new Date(printed);
  expect(at.getTime()).toBeGreaterThanOrEqual(before.getTime());
  expect(at.getTime()).toBeLessThanOrEqual(after.getTime());
  return printed;
}

describe("refused provider certificates in Go's crypto/x509 words", () => {
  it("an expired certificate: x509: certificate has expired or is not yet valid: current time <now> is after <NotAfter> (verify.go isValid)", async () => {
    const url = `https://localhost:${await tlsServer(EXPIRED_CERT)}/.well-known/openid-configuration`;
    const { text, before, after } = await failedGet(url);
    const now = checkedNow(text, before, after);
    expect(text).toBe(
      `Get "${url}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time ${now} is after 2001-01-01T00:00:00Z`,
    );
  });

  it("a certificate not yet valid: … current time <now> is before <NotBefore>", async () => {
    const url = `https://localhost:${await tlsServer(NOT_YET_VALID_CERT)}/x`;
    const { text, before, after } = await failedGet(url);
    const now = checkedNow(text, before, after);
    expect(text).toBe(
      `Get "${url}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time ${now} is before 2090-01-01T00:00:00Z`,
    );
  });

  it("an untrusted certificate for other names: the name is checked before the authority (verify.go Verify, HostnameError.Error)", async () => {
    const url = `https://127.0.0.2:${await tlsServer(LEAF_UNDER_EXPIRED_INTERMEDIATE_CERT, "127.0.0.2")}/x`;
    expect((await failedGet(url)).text).toBe(
      `Get "${url}": tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not 127.0.0.2`,
    );
  });

  it("a certificate naming its host only in the subject's common name: legacy Common Name, or no IP SANs for an IP host", async () => {
    const port = await tlsServer(COMMON_NAME_ONLY_CERT);
    expect((await failedGet(`https://localhost:${port}/x`)).text).toBe(
      `Get "https://localhost:${port}/x": tls: failed to verify certificate: x509: certificate relies on legacy Common Name field, use SANs instead`,
    );
    expect((await failedGet(`https://127.0.0.1:${port}/x`)).text).toBe(
      `Get "https://127.0.0.1:${port}/x": tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs`,
    );
  });

  it("a chain whose intermediate expired: unknown authority, with the passed-over candidate as the hint (UnknownAuthorityError.Error)", async () => {
    const url = `https://localhost:${await tlsServer(LEAF_UNDER_EXPIRED_INTERMEDIATE_CERT + EXPIRED_INTERMEDIATE_CERT)}/x`;
    const { text, before, after } = await failedGet(url);
    const now = checkedNow(text, before, after);
    expect(text).toBe(
      `Get "${url}": tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "x509: certificate has expired or is not yet valid: current time ${now} is after 2001-01-01T00:00:00Z" while trying to verify candidate authority certificate "Olympus Test Intermediate")`,
    );
  });

  it("a trusted certificate for other names (Node's ERR_TLS_CERT_ALTNAME_INVALID): certificate is valid for <DNS names>, not <host>", async () => {
    // Node reaches its name check only for a trusted chain and a host that resolves; other.localhost does not resolve
    // everywhere, so Node's own verdict on a real certificate stands in for what fetch's socket would report.
    const port = await tlsServer(LEAF_UNDER_EXPIRED_INTERMEDIATE_CERT);
    const certificate = await new Promise<PeerCertificate>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      });
      socket.on("error", reject);
    });
    const verdict = checkServerIdentity("other.localhost", certificate);
    expect(verdict).toBeInstanceOf(Error);
    const url = "https://other.localhost/x";
    expect(goNetworkText("Get", url, new TypeError("fetch failed", { cause: verdict }))).toBe(
      `Get "${url}": tls: failed to verify certificate: x509: certificate is valid for localhost, not other.localhost`,
    );
  });
});

describe("Go's host name check on a trusted chain (crypto/x509 verify.go VerifyHostname, HostnameError.Error)", () => {
  // Node's fetch takes its trust from Node's default CA list; the test root is in it only for these tests.
  let defaults: string[] = [];
  beforeAll(() => {
    defaults = getCACertificates("default");
    setDefaultCACertificates([...defaults, TRUSTED_ROOT_CERT]);
  });
  afterAll(() => setDefaultCACertificates(defaults));

  const provider = (issuerUrl: string) =>
    genericProvider(issuerUrl, { id: "generic", label: "Generic", linkingLabel: "Generic", pkce: "auto" });

  const discoveryReason = (issuerUrl: string) =>
    providerConfiguration(provider(issuerUrl)).then(
      () => "discovered",
      (error: unknown) => (error instanceof KratosError ? error.reason : String(error)),
    );

  it("a trusted certificate naming its host only in the subject's common name is refused (Node's check falls back to the CN)", async () => {
    const issuer = `https://localhost:${await tlsServer(TRUSTED_COMMON_NAME_ONLY_CERT)}`;
    expect(await discoveryReason(issuer)).toBe(
      `Unable to initialize OpenID Connect Provider: Get "${issuer}/.well-known/openid-configuration": tls: failed to verify certificate: x509: certificate relies on legacy Common Name field, use SANs instead`,
    );
  });

  it("the same chain naming the host in its subject alternative names is accepted", async () => {
    const issuer = `https://localhost:${await tlsServer(TRUSTED_CERT)}`;
    // The answer ("{}") gets past TLS and fails only on its content.
    expect(await discoveryReason(issuer)).toMatch(/^Unable to initialize OpenID Connect Provider: oidc: /);
  });
});
