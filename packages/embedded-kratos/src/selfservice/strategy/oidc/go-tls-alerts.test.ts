import { createServer, type Server, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { goNetworkText } from "./go-net-errors";
import { goRemoteAlertText } from "./go-tls-alerts";
import { providerFetchFor } from "./provider-fetch";

/** The provider calls under Kratos' default `clients.http` (the test providers listen on 127.0.0.1). */
const providerFetch = providerFetchFor({ disallowPrivateIpRanges: false });
import { KEY, TRUSTED_CERT, TRUSTED_ROOT_CERT } from "./testing/certificates";

/**
 * A provider whose TLS server refuses the handshake with an alert, in the
 * words of Go's crypto/tls (alert.go alertText, alert.String; conn.go
 * readRecordOrCCS: `remote error: tls: <text>`) after net/http's
 * `<Method> "<url>": ` — during the handshake (TLS 1.2: a refused client
 * certificate, a protocol version the server does not speak) and after it
 * (TLS 1.3 sends the refused client certificate's alert once the client
 * has finished, so Go's first read gets it; transport.go roundTrip returns
 * that read's error unwrapped). Real TLS servers; the chain is trusted, so
 * the alert is the only failure.
 */

let defaults: string[] = [];
beforeAll(() => {
  defaults = getCACertificates("default");
  setDefaultCACertificates([...defaults, TRUSTED_ROOT_CERT]);
});
afterAll(() => setDefaultCACertificates(defaults));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function failedGet(options: ServerOptions): Promise<{ url: string; text: string | undefined }> {
  const server = createServer({ key: KEY, cert: TRUSTED_CERT, ...options }, (_req, res) => res.end("{}"));
  // The refusal is the test's point; the server's own report of it is not.
  server.on("tlsClientError", () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://localhost:${(server.address() as AddressInfo).port}/.well-known/openid-configuration`;
  const error = await providerFetch(url, { method: "GET", headers: {}, redirect: "manual", body: undefined }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { url, text: goNetworkText("Get", url, error) };
}

// A client certificate the provider demands and Kratos does not send (the request lists no authority for it).
const CLIENT_CERTIFICATE_REQUIRED: ServerOptions = { requestCert: true, rejectUnauthorized: true, ca: [TRUSTED_ROOT_CERT] };

describe("TLS alerts from the provider in crypto/tls words", () => {
  it("TLS 1.2, a client certificate required: remote error: tls: handshake failure (alert 40, during the handshake)", async () => {
    const { url, text } = await failedGet({ ...CLIENT_CERTIFICATE_REQUIRED, maxVersion: "TLSv1.2" });
    expect(text).toBe(`Get "${url}": remote error: tls: handshake failure`);
  });

  it("TLS 1.3, a client certificate required: remote error: tls: certificate required (alert 116, after the handshake)", async () => {
    const { url, text } = await failedGet(CLIENT_CERTIFICATE_REQUIRED);
    expect(text).toBe(`Get "${url}": remote error: tls: certificate required`);
  });

  it("a server speaking no protocol version Go offers (TLS 1.2 and 1.3): remote error: tls: protocol version not supported (alert 70)", async () => {
    const { url, text } = await failedGet({ minVersion: "TLSv1", maxVersion: "TLSv1.1" });
    expect(text).toBe(`Get "${url}": remote error: tls: protocol version not supported`);
  });

  it("an alert number Go has no text for: tls: alert(<n>) (alert.String)", () => {
    expect(goRemoteAlertText(255)).toBe("remote error: tls: alert(255)");
  });
});
