import { describe, expect, it } from "vitest";
import { RouteTable, type RoutingRules } from "./route-table";

const KRATOS: RoutingRules = { emptySegments: "ignore", headServedByGet: true, unstorableParam: "no-match" };
const HYDRA: RoutingRules = { emptySegments: "strict", headServedByGet: false, unstorableParam: "not-found" };

function table(rules: RoutingRules): RouteTable<string> {
  const t = new RouteTable<string>(rules);
  t.add(["GET"], "/sessions/whoami", "whoami");
  t.add(["GET", "delete"], "/sessions/:id", "session");
  t.add(["PUT"], "/keys/:set/:kid", "key");
  t.add(["POST"], "/sessions/whoami", "whoami-post");
  return t;
}

describe("RouteTable", () => {
  it("finds static and parameterised routes, static ones first in registration order", () => {
    for (const rules of [KRATOS, HYDRA]) {
      const t = table(rules);
      expect(t.match("GET", "/sessions/whoami")).toEqual({ kind: "found", handler: "whoami", params: {} });
      expect(t.match("DELETE", "/sessions/whoami")).toEqual({ kind: "found", handler: "session", params: { id: "whoami" } });
      expect(t.match("POST", "/sessions/whoami/")).toEqual({ kind: "found", handler: "whoami-post", params: {} });
      expect(t.match("PUT", "/keys/a%2Fb/k%20")).toEqual({ kind: "found", handler: "key", params: { set: "a/b", kid: "k " } });
      expect(t.match("PATCH", "/sessions/x")).toEqual({ kind: "method-not-allowed" });
      expect(t.match("GET", "/nope")).toEqual({ kind: "not-found" });
      expect(t.match("GET", "/keys/a")).toEqual({ kind: "not-found" });
    }
  });

  it("ignores empty segments under Kratos' rules, and requires the exact path (one trailing slash) under Hydra's", () => {
    expect(table(KRATOS).match("GET", "//sessions///whoami//")).toMatchObject({ kind: "found", handler: "whoami" });
    expect(table(HYDRA).match("GET", "//sessions/whoami")).toEqual({ kind: "not-found" });
    expect(table(HYDRA).match("GET", "/sessions/whoami//")).toEqual({ kind: "not-found" });
    expect(table(HYDRA).match("GET", "/sessions//x")).toEqual({ kind: "not-found" });
  });

  it("serves HEAD with the GET route only under Kratos' rules", () => {
    expect(table(KRATOS).match("HEAD", "/sessions/whoami")).toMatchObject({ kind: "found", handler: "whoami" });
    expect(table(HYDRA).match("HEAD", "/sessions/whoami")).toEqual({ kind: "method-not-allowed" });
  });

  it("never routes a parameter that is not storable text: no match (Kratos) or 404 once the method matched (Hydra)", () => {
    for (const bad of ["%00", "%ZZ", "%ED%A0%80", "%C0"]) {
      // Kratos: the route does not match the path at all, so another method is 404 too.
      expect(table(KRATOS).match("GET", `/sessions/${bad}`)).toEqual({ kind: "not-found" });
      expect(table(KRATOS).match("PATCH", `/sessions/${bad}`)).toEqual({ kind: "not-found" });
      // Hydra: the path matched, so another method is 405; the route's method is 404.
      expect(table(HYDRA).match("GET", `/sessions/${bad}`)).toEqual({ kind: "not-found" });
      expect(table(HYDRA).match("PATCH", `/sessions/${bad}`)).toEqual({ kind: "method-not-allowed" });
    }
  });

  it("lists routes per registration or per pattern", () => {
    const t = table(KRATOS);
    expect(t.list()).toEqual([
      { methods: ["GET"], pattern: "/sessions/whoami" },
      { methods: ["GET", "DELETE"], pattern: "/sessions/:id" },
      { methods: ["PUT"], pattern: "/keys/:set/:kid" },
      { methods: ["POST"], pattern: "/sessions/whoami" },
    ]);
    expect(t.listByPattern()).toEqual([
      { methods: ["GET", "POST"], pattern: "/sessions/whoami" },
      { methods: ["GET", "DELETE"], pattern: "/sessions/:id" },
      { methods: ["PUT"], pattern: "/keys/:set/:kid" },
    ]);
  });

  it("sees routes added after the first lookup", () => {
    const t = table(KRATOS);
    expect(t.match("GET", "/late").kind).toBe("not-found");
    t.add(["GET"], "/late", "late");
    expect(t.match("GET", "/late")).toMatchObject({ kind: "found", handler: "late" });
  });
});
