import { describe, expect, it } from "vitest";
import { goCleanPath, goCleanPathLocation } from "./go-serve-mux";

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

  it("builds the redirect's Location as url.URL{Path, RawQuery}.String(): the escaped path escaped again, an empty query dropped", () => {
    expect(goCleanPathLocation("/a%20b/", "x=1")).toBe("/a%2520b/?x=1");
    expect(goCleanPathLocation("/admin/identities", "")).toBe("/admin/identities");
  });
});
