import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ORY_HTTP_CLIENT } from "@olympus/server-kit/http";
import { describe, expect, it } from "vitest";
import { FetcherError } from "../fetcher/fetcher";
import { readRequestTemplate } from "./template";

/**
 * request/builder.go Builder.readTemplate: the fetcher first; on
 * fetcher.ErrUnknownScheme the URI is taken as a legacy file path and read
 * as `file://<uri>`, whose error is then the one returned.
 */
describe("request/builder.go readTemplate", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kratos-request-template-"));
  writeFileSync(path.join(dir, "body.jsonnet"), "function(ctx) {}");
  const options = { client: ORY_HTTP_CLIENT, configSource: path.join(dir, "kratos.yml") };

  it("reads a path without a scheme as file://<path>", async () => {
    await expect(readRequestTemplate("body.jsonnet", options)).resolves.toBe("function(ctx) {}");
    await expect(readRequestTemplate(path.join(dir, "body.jsonnet"), options)).resolves.toBe("function(ctx) {}");
  });

  it("answers the second fetch's error for a missing legacy path, the first one's for a known scheme", async () => {
    const error = await readRequestTemplate("missing.jsonnet", options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetcherError);
    expect(error instanceof Error && error.message).toBe(
      "unable to open file: missing.jsonnet: open missing.jsonnet: no such file or directory",
    );
    const bad = await readRequestTemplate("base64://!", options).catch((e: unknown) => e);
    expect(bad instanceof Error && bad.message).toBe("base64decode: base64://[redacted]: illegal base64 data at input byte 0");
  });
});
