import type { IncomingMessage } from "node:http";
import { goBytes } from "@olympus/server-kit/go-url";
import { readGoForm, storableParams } from "../http";

export type LogoutForm = { kind: "form"; form: URLSearchParams } | { kind: "unparsable" };

/**
 * The logout request's form as issueLogoutVerifier reads it
 * (consent/strategy_default.go: r.ParseForm(), then r.Form.Get): a
 * urlencoded POST body's pairs first, the URL's after them, each parsed by
 * Go's url.ParseQuery; no other body is read (JSON is not a form to Go).
 * ParseForm's error — a pair with a `;` or a bad escape in either, over
 * 10,000 parameters, or a Content-Type mime.ParseMediaType refuses — makes
 * the request `unparsable`, which Hydra answers
 * before it looks at any parameter.
 */
export async function readLogoutForm(req: IncomingMessage, rawQuery: string): Promise<LogoutForm> {
  // r.URL.RawQuery: the bytes of the query as sent (the WHATWG form differs only where Go's parser refuses the request).
  const parsed = await readGoForm(req, goBytes(rawQuery.replace(/^\?/, "")));
  if (parsed.error !== undefined) return { kind: "unparsable" };
  // The query was checked by the public server already; a posted body's values are stored too (the logout request).
  return { kind: "form", form: storableParams(parsed.form) };
}
