import type { IncomingMessage } from "node:http";
import { goBytes, goParseQuery, utf8Text, type GoParsedQuery } from "@olympus/server-kit/go-url";
import { isStorableQuery } from "@olympus/server-kit/text";
import { HydraError } from "../errors";
import { hasUrlencodedBody, readBodyBytes } from "../http";

export type LogoutForm = { kind: "form"; form: URLSearchParams } | { kind: "unparsable" };

/**
 * The logout request's form as issueLogoutVerifier reads it
 * (consent/strategy_default.go: r.ParseForm(), then r.Form.Get): a
 * urlencoded POST body's pairs first, the URL's after them, each parsed by
 * Go's url.ParseQuery; no other body is read (JSON is not a form to Go).
 * ParseForm's error — a pair with a `;` or a bad escape in either, or over
 * 10,000 parameters — makes the request `unparsable`, which Hydra answers
 * before it looks at any parameter.
 */
export async function readLogoutForm(req: IncomingMessage, rawQuery: string): Promise<LogoutForm> {
  const parsed: GoParsedQuery[] = [];
  if (hasUrlencodedBody(req)) {
    parsed.push(goParseQuery((await readBodyBytes(req)).toString("latin1")));
  }
  // r.URL.RawQuery: the bytes of the query as sent (the WHATWG form differs only where Go's parser refuses the request).
  parsed.push(goParseQuery(goBytes(rawQuery.replace(/^\?/, ""))));
  if (parsed.some(({ error }) => error !== undefined)) return { kind: "unparsable" };
  const form = new URLSearchParams();
  for (const { values } of parsed) {
    for (const [key, list] of values) for (const value of list) form.append(utf8Text(key), utf8Text(value));
  }
  // The query was checked by the public server already; a posted body's values are stored too (the logout request).
  if (!isStorableQuery(form))
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  return { kind: "form", form };
}
