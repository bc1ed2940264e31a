import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import { afterEach, describe, expect, it } from "vitest";
import { discoveryError } from "./provider-errors";

/**
 * Discovery answers Kratos refuses, in the words of the go-oidc it builds
 * on: Kratos' go.mod replaces coreos/go-oidc with ory/go-oidc
 * (v3.0.0-20250124100243-69986dfaf891), whose oidc.go NewProvider words an
 * issuer mismatch `oidc: issuer did not match the issuer returned by
 * provider, expected %q got %q` (Kratos' strategy_test.go "should fail
 * because the issuer is mismatching" asserts it).
 */

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("discovery answers in ory/go-oidc's words", () => {
  it("an issuer other than the configured one: `oidc: issuer did not match the issuer returned by provider, expected … got …`", async () => {
    const server = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: "https://other.example" })),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await oidc.discovery(new URL(issuer), "client", undefined, undefined, { execute: [oidc.allowInsecureRequests] }).then(
      () => undefined,
      (e: unknown) => discoveryError(issuer, e),
    );
    expect(error?.code).toBe(500);
    expect(error?.reason).toBe(
      `Unable to initialize OpenID Connect Provider: oidc: issuer did not match the issuer returned by provider, expected "${issuer}" got "https://other.example"`,
    );
  });
});
