import { describe, expect, it } from "vitest";
import { matchRedirectUri } from "./verifier-request";

// fosite authorize_helper.go MatchRedirectURIWithClientRedirectURIs, on URIs parsed by Go's net/url.
describe("matchRedirectUri", () => {
  const registered = ["http://127.0.0.1:8080/cb"];

  it("takes a registered URI exactly, and a loopback one on another port", () => {
    expect(matchRedirectUri("http://127.0.0.1:8080/cb", registered)).toBe("http://127.0.0.1:8080/cb");
    expect(matchRedirectUri("http://127.0.0.1:9/cb", registered)).toBe("http://127.0.0.1:9/cb");
    expect(matchRedirectUri("", registered)).toBe("http://127.0.0.1:8080/cb");
  });

  it("never matches a URI the WHATWG parser reads otherwise than Go (an open redirect once written out)", () => {
    // WHATWG reads the backslash as `/` (host 127.0.0.1, path /cb); Go refuses it (net/url: invalid
    // userinfo), and a browser given it percent-encoded posts to evil.example.
    expect(matchRedirectUri("http://127.0.0.1\\@evil.example/../cb", registered)).toBeUndefined();
    expect(matchRedirectUri("http://127.0.0.1:9\\cb", registered)).toBeUndefined();
    expect(matchRedirectUri("http://127.0.0.1:9/c\tb", registered)).toBeUndefined();
    expect(matchRedirectUri(" http://127.0.0.1:9/cb", registered)).toBeUndefined();
  });
});
