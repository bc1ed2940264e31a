import { describe, expect, it } from "vitest";
import { goPathClean } from "./go-redirect";
import { goCleanPath, goCleanPathLocation } from "./go-serve-mux";

/** net/http cleanPath (server.go) spelled out on path.Clean: the answer the shortcut for clean paths must keep. */
function cleanPathWithoutShortcut(path: string): string {
  if (path === "") return "/";
  const rooted = path.startsWith("/") ? path : `/${path}`;
  const clean = goPathClean(rooted);
  return rooted.endsWith("/") && clean !== "/" ? `${clean}/` : clean;
}

/** Every string of the given characters up to `maxLength` long. */
function* allPaths(alphabet: string, maxLength: number): Generator<string> {
  let level = [""];
  yield "";
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) for (const char of alphabet) next.push(prefix + char);
    yield* next;
    level = next;
  }
}

describe("net/http ServeMux's clean path (server.go cleanPath, findHandler)", () => {
  it("roots and cleans a path, keeping its trailing slash", () => {
    for (const [path, clean] of [
      ["", "/"],
      ["a/b", "/a/b"],
      ["/a/b/", "/a/b/"],
      ["//a///b//", "/a/b/"],
      ["/a/./b/../c", "/a/c"],
      ["/a/..", "/"],
      ["/a/../", "/"],
      ["/..", "/"],
      ["/%2e%2e/a", "/%2e%2e/a"],
    ] as const)
      expect(goCleanPath(path), path).toBe(clean);
  });

  it("cleans Hydra's paths as net/http cleanPath (server.go), keeping a trailing slash", () => {
    expect(goCleanPath("")).toBe("/");
    expect(goCleanPath("/admin/./clients")).toBe("/admin/clients");
    expect(goCleanPath("/admin//clients/")).toBe("/admin/clients/");
    expect(goCleanPath("/a/b/../..")).toBe("/");
    expect(goCleanPath("/a/b/../../")).toBe("/");
    expect(goCleanPath("/../x")).toBe("/x");
    expect(goPathClean("a/../../b")).toBe("../b");
    expect(goPathClean("")).toBe(".");
  });

  it("builds the redirect's Location as url.URL{Path, RawQuery}.String(): the escaped path escaped again, an empty query dropped", () => {
    expect(goCleanPathLocation("/a%20b/", "x=1")).toBe("/a%2520b/?x=1");
    expect(goCleanPathLocation("/admin/identities", "")).toBe("/admin/identities");
  });
});

describe("goCleanPath's shortcut for paths that are clean already", () => {
  it("answers every path of slashes, dots and letters (up to 8 characters) as net/http cleanPath does", () => {
    let checked = 0;
    for (const path of allPaths("/.a", 8)) {
      expect(goCleanPath(path), JSON.stringify(path)).toBe(cleanPathWithoutShortcut(path));
      checked++;
    }
    expect(checked).toBe(9_841);
  });

  it("keeps a clean path, its trailing slash included, and still cleans dot and empty segments", () => {
    for (const path of ["/", "/oauth2/token", "/oauth2/sessions/logout/", "/a/.b/..c/...", "/.well-known/jwks.json"]) {
      expect(goCleanPath(path)).toBe(path);
    }
    expect(goCleanPath("oauth2/token")).toBe("/oauth2/token");
    expect(goCleanPath("/oauth2//token")).toBe("/oauth2/token");
    expect(goCleanPath("/oauth2/./token/.")).toBe("/oauth2/token");
    expect(goCleanPath("/oauth2/x/../token/..")).toBe("/oauth2");
    expect(goCleanPath("/a/b/../")).toBe("/a/");
  });
});
