import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { goConnectionOf } from "./go-connection";

/**
 * httpguts.HeaderValuesContainsToken trims each comma-separated element
 * with textproto.TrimString, one pass. The request's Connection header may
 * be up to 1 MiB (the servers' header cap): a run of blanks inside an
 * element once made the trailing-blank regular expression quadratic, and
 * one request held the event loop for minutes. No timed assertion: the
 * call has to return within the test's timeout, which only a linear trim does.
 */
describe("a request's Connection header with a long run of blanks", () => {
  it("is read in linear time, and its close token still counts", () => {
    const req = new IncomingMessage(new Socket());
    req.httpVersionMinor = 1;
    req.headers.connection = `a${" ".repeat(1 << 20)}b, close`;
    const res = new ServerResponse(req);
    expect(goConnectionOf(req, res, [200])).toMatchObject({ close: true, http10: false });
  });
});
