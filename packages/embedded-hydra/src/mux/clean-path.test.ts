import { describe, expect, it } from "vitest";
import { cleanPath, goPathClean } from "./go-mux";

/** net/http cleanPath (server.go) spelled out on path.Clean: the answer the shortcut for clean paths must keep. */
function goCleanPath(path: string): string {
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

describe("cleanPath's shortcut for paths that are clean already", () => {
  it("answers every path of slashes, dots and letters (up to 8 characters) as net/http cleanPath does", () => {
    let checked = 0;
    for (const path of allPaths("/.a", 8)) {
      expect(cleanPath(path), JSON.stringify(path)).toBe(goCleanPath(path));
      checked++;
    }
    expect(checked).toBe(9_841);
  });

  it("keeps a clean path, its trailing slash included, and still cleans dot and empty segments", () => {
    for (const path of ["/", "/oauth2/token", "/oauth2/sessions/logout/", "/a/.b/..c/...", "/.well-known/jwks.json"]) {
      expect(cleanPath(path)).toBe(path);
    }
    expect(cleanPath("oauth2/token")).toBe("/oauth2/token");
    expect(cleanPath("/oauth2//token")).toBe("/oauth2/token");
    expect(cleanPath("/oauth2/./token/.")).toBe("/oauth2/token");
    expect(cleanPath("/oauth2/x/../token/..")).toBe("/oauth2");
    expect(cleanPath("/a/b/../")).toBe("/a/");
  });
});
