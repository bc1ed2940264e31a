import { describe, expect, it } from "vitest";
import { goRequestTarget } from "@olympus/server-kit/http";
import { muxPathOf } from "./mux-path";

const admin = (path: string) => muxPathOf(path, { adminPrefix: true });
const publicPath = (path: string) => muxPathOf(path, { adminPrefix: false });

describe("the request path through Hydra's middlewares and ServeMux", () => {
  it("keeps the path as sent while no middleware changes r.URL.Path (url.URL EscapedPath returns a valid RawPath)", () => {
    expect(admin("/admin/cl%69ents")).toEqual({ escaped: "/admin/cl%69ents", clean: "/admin/cl%69ents", routing: "/admin/clients" });
    expect(admin("/%61dmin/clients").routing).toBe("/admin/clients");
    expect(admin("/admin/clients/a%2Fb").routing).toBe("/admin/clients/a%2Fb");
  });

  it("escapes the decoded path afresh once a middleware rewrote it (TrimTrailingSlashNegroni, AddAdminPrefixIfNotPresentNegroni)", () => {
    expect(admin("/admin/clients/a%2Fb/").escaped).toBe("/admin/clients/a/b");
    expect(admin("/admin/clients%2F").escaped).toBe("/admin/clients");
    expect(admin("/clients/a%2Fb").escaped).toBe("/admin/clients/a/b");
    expect(admin("/clients/a%20b").escaped).toBe("/admin/clients/a%20b");
    expect(publicPath("/oauth2/t%6Fken/").escaped).toBe("/oauth2/token");
    expect(publicPath("/").escaped).toBe("");
  });

  it("cleans the escaped path, where an escaped dot is no dot segment (server.go cleanPath)", () => {
    expect(admin("/admin/./cl%69ents").clean).toBe("/admin/cl%69ents");
    expect(admin("/admin/%2E%2E/clients")).toEqual({
      escaped: "/admin/%2E%2E/clients",
      clean: "/admin/%2E%2E/clients",
      routing: "/admin/../clients",
    });
    expect(publicPath("/").clean).toBe("/");
  });

  it("decodes each segment as firstSegment does and escapes it again as one segment (url.PathEscape)", () => {
    expect(publicPath("/a/%3B%2C%3F%23%25/b+c/%C3%A9").routing).toBe("/a/%3B%2C%3F%23%25/b+c/%C3%A9");
    expect(publicPath("/%7e%41").routing).toBe("/~A");
  });

  it("routes a target Go could not parse as it is (net/http refuses it before any handler)", () => {
    expect(admin("/admin/clients/%zz")).toEqual({
      escaped: "/admin/clients/%zz",
      clean: "/admin/clients/%zz",
      routing: "/admin/clients/%zz",
    });
  });

  it("takes r.URL as readRequest parsed the whole target when handed it, with the same result as parsing the path", () => {
    // The servers hand on server-kit requestTargetOf(req), the parse the net/http refusals made: no second parse.
    for (const target of ["/a%2Fb/c/?x=%zz;y", "/clients/%7e", "http://host/admin/./x?q", "/%zz"]) {
      const path = target.split("?")[0] ?? "";
      for (const adminPrefix of [false, true])
        expect(muxPathOf(path, { adminPrefix }, goRequestTarget("GET", target))).toEqual(muxPathOf(path, { adminPrefix }));
    }
    // What it is handed is what it routes on.
    expect(muxPathOf("/a", { adminPrefix: false }, goRequestTarget("GET", "/b")).escaped).toBe("/b");
  });
});
