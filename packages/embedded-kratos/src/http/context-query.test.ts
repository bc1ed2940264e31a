import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpContext } from "./context";

function contextFor(target: string): HttpContext {
  const req = new IncomingMessage(new Socket());
  req.url = target;
  return new HttpContext(req, new ServerResponse(req), "http://kratos.test/");
}

/** HttpContext.query is r.URL.Query() (net/url ParseQuery, then Values.Get), not WHATWG URLSearchParams. */
describe("HttpContext.query", () => {
  it("drops a pair holding `;`, so Get answers the next pair Go keeps", () => {
    expect(contextFor("/self-service/recovery?email=decoy;&email=victim").query.get("email")).toBe("victim");
  });

  it("drops a pair with a bad percent escape", () => {
    expect(contextFor("/x?return_to=%zz&return_to=ok").query.get("return_to")).toBe("ok");
  });

  it("decodes `+` and escapes as QueryUnescape does", () => {
    expect(contextFor("/x?q=a+b%2Bc").query.get("q")).toBe("a b+c");
  });

  it("is empty without a query", () => {
    expect([...contextFor("/x").query]).toEqual([]);
  });
});
