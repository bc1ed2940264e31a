import { describe, expect, it } from "vitest";
import { HydraError } from "../errors";
import { decodeClient, validateClient, type ValidatorConfig } from "./validator";

/**
 * client/validator.go Validate reads every client URL with Go's net/url:
 * url.ParseRequestURI for redirect_uris, post_logout_redirect_uris and
 * tos/policy/logo/client_uri, url.Parse for allowed_cors_origins and
 * sector_identifier_uri (ValidateSectorIdentifierURL). These are the answers
 * where Go's parser and a hand-rolled one part ways.
 */

const CONFIG: ValidatorConfig = {
  defaultScope: "openid",
  subjectTypes: ["public"],
  disallowPrivateIpRanges: false,
  fetch: () => Promise.resolve({ status: 200, body: "[]" }),
};

const validate = (body: Record<string, unknown>) => validateClient(CONFIG, decodeClient(JSON.stringify(body)));

async function refusal(body: Record<string, unknown>): Promise<{ error: string; description: string }> {
  const failure: unknown = await validate(body).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(failure instanceof HydraError)) throw new Error(`expected a HydraError, got ${String(failure)}`);
  return { error: failure.error, description: failure.description };
}

describe("url.ParseRequestURI where Validate uses it", () => {
  it("accepts a path escape that is not UTF-8 (Go unescapes bytes, not text)", async () => {
    const client = await validate({
      redirect_uris: ["https://rp.example/cb%ff"],
      post_logout_redirect_uris: ["https://rp.example/bye%ff"],
    });
    expect(client.redirect_uris).toEqual(["https://rp.example/cb%ff"]);
  });

  it("refuses userinfo Go's validUserinfo refuses, in redirect_uris and tos_uri", async () => {
    expect(await refusal({ redirect_uris: ["https://u ser@rp.example/cb"] })).toEqual({
      error: "invalid_redirect_uri",
      description: "The value of one or more redirect_uris is invalid. Unable to parse redirect URL: https://u ser@rp.example/cb",
    });
    expect((await refusal({ tos_uri: "https://u ser@rp.example/tos" })).description).toMatch(/ Field tos_uri must be a valid URI\.$/);
  });

  it("matches post_logout_redirect_uris by Hostname() after Go decoded the host's escapes", async () => {
    const client = await validate({
      redirect_uris: ["https://caf%C3%A9.example/cb"],
      post_logout_redirect_uris: ["https://café.example/bye"],
    });
    expect(client.post_logout_redirect_uris).toEqual(["https://café.example/bye"]);
  });

  it("reads `//host/…` without a scheme as a path (no host), so two such URIs share scheme, host and port", async () => {
    const client = await validate({ redirect_uris: ["//rp.example/cb"], post_logout_redirect_uris: ["//elsewhere.example/bye"] });
    expect(client.post_logout_redirect_uris).toEqual(["//elsewhere.example/bye"]);
  });
});

describe("url.Parse where Validate uses it", () => {
  it("prints url.Error's text when an allowed_cors_origins entry does not parse", async () => {
    expect((await refusal({ allowed_cors_origins: ["https://app.example:x"] })).description).toMatch(
      / Origin URL https:\/\/app\.example:x from allowed_cors_origins could not be parsed: parse 'https:\/\/app\.example:x': invalid port ':x' after host$/,
    );
  });

  it("stores an origin as u.String() writes it: an empty userinfo and a lone `?` are kept", async () => {
    const client = await validate({ allowed_cors_origins: ["https://@app.example", "https://app.example?", "https://app.example/%2F/"] });
    expect(client.allowed_cors_origins).toEqual(["https://@app.example", "https://app.example?", "https://app.example"]);
    expect((await refusal({ allowed_cors_origins: ["https://:@app.example"] })).description).toMatch(
      / Origin URL https:\/\/:@app\.example has HTTP user and\/or password set which is not allowed\.$/,
    );
  });

  it("names the parse error of a sector_identifier_uri url.Parse refuses (ValidateSectorIdentifierURL)", async () => {
    expect((await refusal({ sector_identifier_uri: "https://a b/" })).description).toMatch(
      / Value of sector_identifier_uri could not be parsed because parse 'https:\/\/a b\/': invalid character ' ' in host name\.$/,
    );
  });
});

describe("ory/x ipx under clients.http.disallow_private_ip_ranges (Validate's AreAllAssociatedIPsAllowed)", () => {
  const guarded = (body: Record<string, unknown>) =>
    validateClient({ ...CONFIG, disallowPrivateIpRanges: true }, decodeClient(JSON.stringify(body)));

  it("refuses with ipx's words and range, and checks only jwks_uri, backchannel_logout_uri and request_uris", async () => {
    const failure: unknown = await guarded({ jwks_uri: "https://127.0.0.1/jwks.json" }).catch((error: unknown) => error);
    expect(failure instanceof HydraError && failure.description).toMatch(
      / Client IP address is not allowed: key jwks_uri validation is failing: ip 127\.0\.0\.1 is in the 127\.0\.0\.0\/8 range$/,
    );
    // Not in ipx's ranges: link-local; and sector_identifier_uri is not among the values ipx checks.
    const client = await guarded({
      jwks_uri: "https://169.254.169.254/jwks.json",
      sector_identifier_uri: "https://127.0.0.1/sector",
    }).catch((error: unknown) => error);
    expect(client instanceof HydraError && client.description).toBe(
      "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata.",
    );
  });
});
