import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORY_HTTP_CLIENT, type ResilientOptions } from "@olympus/server-kit/http";
import { useScriptedHttpServer } from "@olympus/server-kit/testing";
import { describe, expect, it } from "vitest";
import { FetchCache } from "./cache";
import { fetchText, FetcherError, type FetcherOptions } from "./fetcher";

/**
 * ory/x fetcher/fetcher.go (Kratos v26.2.0's `oryx` copy): FetchBytes'
 * scheme switch and its errors (stringsx errUnknownPrefix around
 * ErrUnknownScheme, `base64decode: …`, fetchFile's `unable to open file: …`),
 * fetchRemote through the resilient client (status check, WithCache,
 * WithMaxHTTPMaxBytes), against a real local HTTP server.
 */
const server = useScriptedHttpServer();

const dir = mkdtempSync(path.join(tmpdir(), "kratos-fetcher-"));
mkdirSync(path.join(dir, "folder"));
writeFileSync(path.join(dir, "mapper.jsonnet"), "{ a: 1 }");
/** Few attempts, short waits: the checks are about texts, not the retry schedule. */
const CLIENT: ResilientOptions = { ...ORY_HTTP_CLIENT, retries: 0, attemptTimeoutMs: 5_000 };
const options: FetcherOptions = { client: CLIENT, configSource: path.join(dir, "kratos.yml") };

const failure = async (source: string, with_: FetcherOptions = options): Promise<FetcherError> => {
  const error = await fetchText(source, with_).catch((e: unknown) => e);
  if (!(error instanceof FetcherError)) throw new Error(`expected a FetcherError, got ${String(error)}`);
  return error;
};

describe("fetcher.FetchBytes: schemes and their errors", () => {
  it("refuses another scheme with stringsx's errUnknownPrefix wrapped around ErrUnknownScheme", async () => {
    const error = await failure("ftp://example.com/x");
    expect(error.message).toBe(
      "expected ftp://example.com/x to have one of the prefixes [http://, https://, file://, base64://]: unknown scheme",
    );
    expect(error.unknownScheme).toBe(true);
  });

  it("decodes base64:// with StdEncoding; bad data names the whole source and Go's byte offset", async () => {
    await expect(fetchText(`base64://${Buffer.from("{ b: 2 }").toString("base64")}`, options)).resolves.toBe("{ b: 2 }");
    expect((await failure("base64://ab!c")).message).toBe("base64decode: base64://[redacted]: illegal base64 data at input byte 2");
    // Padding is required (StdEncoding, not RawStdEncoding).
    expect((await failure("base64://YQ")).message).toBe("base64decode: base64://[redacted]: illegal base64 data at input byte 0");
  });

  it("reads file:// paths (relative ones from the config file's folder) and names the written path in os errors", async () => {
    await expect(fetchText(`file://${path.join(dir, "mapper.jsonnet")}`, options)).resolves.toBe("{ a: 1 }");
    await expect(fetchText("file://mapper.jsonnet", options)).resolves.toBe("{ a: 1 }");
    await expect(fetchText("file:///etc/config/kratos/mapper.jsonnet", options)).resolves.toBe("{ a: 1 }");
    expect((await failure("file://missing.jsonnet")).message).toBe(
      "unable to open file: missing.jsonnet: open missing.jsonnet: no such file or directory",
    );
    // os.Open opens a folder; io.ReadAll fails on it.
    expect((await failure("file://folder")).message).toBe("unable to read file: folder: read folder: is a directory");
  });
});

describe("fetcher.fetchRemote over http(s)", () => {
  it("answers a 200's body and refuses other statuses with the fetcher's text", async () => {
    server.script("/ok", { status: 200, body: "{ ok: true }" });
    await expect(fetchText(`${server.base}/ok`, options)).resolves.toBe("{ ok: true }");
    expect((await failure(`${server.base}/gone`)).message).toBe(
      `expected http response status code 200 but got 404 when fetching: ${server.base}/gone`,
    );
  });

  it("WithCache: keeps a non-empty answer for the TTL; without a cache every call fetches", async () => {
    const cache = new FetchCache(1 << 20);
    const cached: FetcherOptions = { ...options, cache: { store: cache, ttlMs: 60_000 } };
    server.script("/cached", { status: 200, body: "first" });
    await expect(fetchText(`${server.base}/cached`, cached)).resolves.toBe("first");
    server.script("/cached", { status: 200, body: "second" });
    await expect(fetchText(`${server.base}/cached`, cached)).resolves.toBe("first");
    await expect(fetchText(`${server.base}/cached`, options)).resolves.toBe("second");
    expect(server.requests("/cached")).toHaveLength(2);
    // An empty body is not cached (fetchRemote's `len(b) > 0`).
    server.script("/empty", { status: 200, body: "" });
    await fetchText(`${server.base}/empty`, cached);
    await fetchText(`${server.base}/empty`, cached);
    expect(server.requests("/empty")).toHaveLength(2);
  });

  it("WithMaxHTTPMaxBytes: an answer over the limit is bytes.ErrTooLarge", async () => {
    server.script("/big", { status: 200, body: "x".repeat(11) });
    expect((await failure(`${server.base}/big`, { ...options, maxBytes: 10 })).message).toBe("bytes.Buffer: too large");
    await expect(fetchText(`${server.base}/big`, { ...options, maxBytes: 11 })).resolves.toHaveLength(11);
  });

  it("goes through the guarded client: disallow_private_ip_ranges refuses loopback, the client's error wrapped with the source", async () => {
    server.script("/private", { status: 200, body: "secret" });
    const guarded: FetcherOptions = { ...options, client: { ...CLIENT, disallowPrivateIpRanges: true } };
    const error = await failure(`${server.base}/private`, guarded);
    expect(error.message).toMatch(
      new RegExp(
        `^${escape(`${server.base}/private: GET ${server.base}/private giving up after 1 attempt(s): Get "${server.base}/private": dial tcp 127.0.0.1:`)}\\d+: prohibited IP address: 127\\.0\\.0\\.1 is not a permitted destination`,
      ),
    );
    expect(server.requests("/private")).toHaveLength(0);
    // private_ip_exception_urls lets the listed URL through.
    const excepted: FetcherOptions = { ...options, client: { ...guarded.client, privateIpExceptionUrls: [`${server.base}/private`] } };
    await expect(fetchText(`${server.base}/private`, excepted)).resolves.toBe("secret");
  });

  it("a URL net/url refuses fails as retryablehttp.NewRequestWithContext does", async () => {
    expect((await failure("http://exa mple.com/x")).message).toBe(
      'new request: http://exa mple.com/x: parse "http://exa mple.com/x": invalid character " " in host name',
    );
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
