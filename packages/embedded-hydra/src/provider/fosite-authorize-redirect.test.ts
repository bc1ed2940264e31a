import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { fositeErrorRedirect, fositeResponseMode, fositeResponseRedirect } from "./fosite-authorize-redirect";

/**
 * fosite's redirects to the client (authorize_error.go WriteAuthorizeError,
 * authorize_write.go WriteAuthorizeResponse): the expected Locations are
 * what Go printed for the same redirect URI and parameters (url.Parse,
 * URL.String, url.Values.Encode).
 */
const URI = "https://app.example/cb?z=1&state=own&a=x~y*z+w%20v";
const errors = () =>
  new URLSearchParams([
    ["error", "access_denied"],
    ["error_description", "The resource owner denied the request. Nope ~*'!"],
    ["state", "st ~*é"],
  ]);

describe("fosite's error redirect", () => {
  it("in query mode adds the redirect URI's query after the error parameters and encodes all in sorted key order", () => {
    expect(fositeErrorRedirect(URI, "query", errors())).toBe(
      "https://app.example/cb?a=x~y%2Az+w+v&error=access_denied&error_description=The+resource+owner+denied+the+request.+Nope+~%2A%27%21&state=st+~%2A%C3%A9&state=own&z=1",
    );
  });

  it("in fragment mode keeps the query as it is and replaces the fragment by the sorted error parameters", () => {
    expect(fositeErrorRedirect(`${URI}#frag`, "fragment", errors())).toBe(
      "https://app.example/cb?z=1&state=own&a=x~y*z+w%20v#error=access_denied&error_description=The+resource+owner+denied+the+request.+Nope+~%2A%27%21&state=st+~%2A%C3%A9",
    );
  });
});

describe("fosite's response redirect", () => {
  it("in query mode sets each parameter over the redirect URI's query and encodes all in sorted key order", () => {
    const parameters = new URLSearchParams([
      ["code", "c~*"],
      ["state", "st ~*é"],
      ["scope", "openid offline"],
    ]);
    expect(fositeResponseRedirect(URI, "query", parameters)).toBe(
      "https://app.example/cb?a=x~y%2Az+w+v&code=c~%2A&scope=openid+offline&state=st+~%2A%C3%A9&z=1",
    );
  });

  it("in fragment mode writes the sorted parameters as the fragment, none when there are none", () => {
    const parameters = new URLSearchParams([
      ["code", "c"],
      ["state", "s"],
      ["id_token", "a.b.c"],
      ["scope", "openid"],
    ]);
    expect(fositeResponseRedirect(URI, "fragment", parameters)).toBe(
      "https://app.example/cb?z=1&state=own&a=x~y*z+w%20v#code=c&id_token=a.b.c&scope=openid&state=s",
    );
    expect(fositeResponseRedirect("https://app.example/cb", "fragment", new URLSearchParams())).toBe("https://app.example/cb");
  });
});

describe("fosite's response mode", () => {
  it("is the one asked for, else query for exactly `code` and fragment for implicit and hybrid response types", () => {
    // authorize_request_handler.go newAuthorizeRequest: SetDefaultResponseMode after validateResponseMode.
    expect(fositeResponseMode("form_post", "code id_token")).toBe("form_post");
    expect(fositeResponseMode("", "code")).toBe("query");
    expect(fositeResponseMode("", " code ")).toBe("query");
    expect(fositeResponseMode("", "code id_token")).toBe("fragment");
    expect(fositeResponseMode("", "id_token token")).toBe("fragment");
  });
});

/**
 * url.URL.String writes a redirect URI's RawQuery and Opaque as they are,
 * and net/http writes the Location bytes unchanged: a client registered
 * with `?x=☃` or `myapp:☃` gets those UTF-8 bytes back. The Location is a
 * byte string so that Node's writeHead sends the same bytes instead of
 * refusing the char (ERR_INVALID_CHAR, which was a 500).
 */
describe("a redirect URI with characters past U+00FF", () => {
  const snowman = Buffer.from("☃", "utf8").toString("latin1");
  const verifierError = () => new URLSearchParams([["error", "invalid_request"]]);

  it.each([
    ["https://c.example/cb?x=☃", "fragment", `https://c.example/cb?x=${snowman}#error=invalid_request`],
    ["https://c.example/cb?x=☃", "query", "https://c.example/cb?error=invalid_request&x=%E2%98%83"],
    ["myapp:☃", "fragment", `myapp:${snowman}#error=invalid_request`],
  ] as const)("%s in %s mode is the URI's UTF-8 bytes, which writeHead accepts", (uri, mode, location) => {
    const written = fositeErrorRedirect(uri, mode, verifierError());
    expect(written).toBe(location);
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    expect(() => response.writeHead(303, { location: written })).not.toThrow();
    expect(fositeResponseRedirect(uri, mode, new URLSearchParams([["code", "c"]]))).toBe(
      location.replace("error=invalid_request", "code=c"),
    );
  });
});
