import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORY_HTTP_CLIENT, type ResilientOptions } from "@olympus/server-kit/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchCache } from "./cache";
import { fetchText, FetcherError, type FetcherOptions } from "./fetcher";

/**
 * ory/x fetcher/fetcher.go (Kratos v26.2.0's `oryx` copy): FetchBytes'
 * scheme switch and its errors (stringsx errUnknownPrefix around
 * ErrUnknownScheme, `base64decode: …`, fetchFile's `unable to open file: …`),
 * fetchRemote through the resilient client (status check, WithCache,
 * WithMaxHTTPMaxBytes), against a real local HTTP server.
 */
const answers = new Map<string, { status: number; body: string }>();
const hits = new Map<string, number>();
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  hits.set(url, (hits.get(url) ?? 0) + 1);
  const answer = answers.get(url) ?? { status: 404, body: "not found" };
  res.writeHead(answer.status).end(answer.body);
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

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
    answers.set("/ok", { status: 200, body: "{ ok: true }" });
    await expect(fetchText(`${base}/ok`, options)).resolves.toBe("{ ok: true }");
    expect((await failure(`${base}/gone`)).message).toBe(`expected http response status code 200 but got 404 when fetching: ${base}/gone`);
  });

  it("WithCache: keeps a non-empty answer for the TTL; without a cache every call fetches", async () => {
    const cache = new FetchCache(1 << 20);
    const cached: FetcherOptions = { ...options, cache: { store: cache, ttlMs: 60_000 } };
    answers.set("/cached", { status: 200, body: "first" });
    await expect(fetchText(`${base}/cached`, cached)).resolves.toBe("first");
    answers.set("/cached", { status: 200, body: "second" });
    await expect(fetchText(`${base}/cached`, cached)).resolves.toBe("first");
    await expect(fetchText(`${base}/cached`, options)).resolves.toBe("second");
    expect(hits.get("/cached")).toBe(2);
    // An empty body is not cached (fetchRemote's `len(b) > 0`).
    answers.set("/empty", { status: 200, body: "" });
    await fetchText(`${base}/empty`, cached);
    await fetchText(`${base}/empty`, cached);
    expect(hits.get("/empty")).toBe(2);
  });

  it("WithMaxHTTPMaxBytes: an answer over the limit is bytes.ErrTooLarge", async () => {
    answers.set("/big", { status: 200, body: "x".repeat(11) });
    expect((await failure(`${base}/big`, { ...options, maxBytes: 10 })).message).toBe("bytes.Buffer: too large");
    await expect(fetchText(`${base}/big`, { ...options, maxBytes: 11 })).resolves.toHaveLength(11);
  });

  it("goes through the guarded client: disallow_private_ip_ranges refuses loopback, the client's error wrapped with the source", async () => {
    answers.set("/private", { status: 200, body: "secret" });
    const guarded: FetcherOptions = { ...options, client: { ...CLIENT, disallowPrivateIpRanges: true } };
    const error = await failure(`${base}/private`, guarded);
    expect(error.message).toMatch(
      new RegExp(
        `^${escape(`${base}/private: GET ${base}/private giving up after 1 attempt(s): Get "${base}/private": dial tcp 127.0.0.1:`)}\\d+: prohibited IP address: 127\\.0\\.0\\.1 is not a permitted destination`,
      ),
    );
    expect(hits.get("/private")).toBeUndefined();
    // private_ip_exception_urls lets the listed URL through.
    const excepted: FetcherOptions = { ...options, client: { ...guarded.client, privateIpExceptionUrls: [`${base}/private`] } };
    await expect(fetchText(`${base}/private`, excepted)).resolves.toBe("secret");
  });

  it("a URL net/url refuses fails as retryablehttp.NewRequestWithContext does", async () => {
    expect((await failure("http://exa mple.com/x")).message).toBe(
      'new request: http://exa mple.com/x: parse "http://exa mple.com/x": invalid character " " in host name',
    );
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
