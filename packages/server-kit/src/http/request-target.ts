import type { IncomingMessage } from "node:http";
import { goParseRequestUriBytes, type GoUrlParsed } from "../go-url";

/**
 * request.go readRequest's r.URL: url.ParseRequestURI of the request
 * target, CONNECT's authority form (`host:port`) read as
 * `http://host:port`. Node keeps the target's bytes as Latin-1
 * characters, one per byte, which is what the byte parser takes.
 */
export function goRequestTarget(method: string, target: string): GoUrlParsed {
  const uri = method === "CONNECT" && !target.startsWith("/") ? `http://${target}` : target;
  return goParseRequestUriBytes(uri);
}

/** Each request's target as parsed the first time it was asked for: Go parses it once, in readRequest. */
const parsedTargets = new WeakMap<IncomingMessage, GoUrlParsed>();

/**
 * The request's r.URL as Go's readRequest parsed it, parsed once per
 * request: the net/http refusals (a target Go cannot read is its plain
 * 400) and a server's routing (Hydra's mux path) share the one result.
 * Taken from the target as it arrived; a handler rewriting `req.url`
 * later does not change it.
 */
export function requestTargetOf(req: IncomingMessage): GoUrlParsed {
  let parsed = parsedTargets.get(req);
  if (parsed === undefined) {
    parsed = goRequestTarget(req.method ?? "", req.url ?? "");
    parsedTargets.set(req, parsed);
  }
  return parsed;
}
