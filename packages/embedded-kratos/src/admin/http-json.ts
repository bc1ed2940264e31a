import { assertStorable, readBodyOr, unreadableJsonBody } from "../http/body";
import type { HttpContext } from "../http/context";
import { errors } from "../http/errors";
import { adminErrors } from "./errors";
import { decodeGoJson, GoJsonError, type GoJson, type GoType } from "./go-json";
import { GoValueTooDeepError } from "@olympus/server-kit/go-json";

/**
 * Decodes an admin request body's bytes as Go's json.Decoder does (see
 * decodeGoJson) and refuses, with 400, what Postgres could not store: NUL,
 * unpaired surrogates and non-UTF-8 bytes left in raw JSON fields (Kratos
 * keeps json.RawMessage bytes as sent and fails at the insert), and bodies
 * nested too deeply. Go's own errors are thrown as GoJsonError.
 */
export function decodeAdminBody<T>(bytes: Buffer, decode: (bytes: Buffer) => T): T {
  let decoded: T;
  try {
    decoded = decode(bytes);
  } catch (error) {
    if (error instanceof GoValueTooDeepError) throw errors.badRequest("The request body is nested too deeply.");
    throw error;
  }
  assertStorable(decoded);
  return decoded;
}

/**
 * oryx/decoderx Decode with HTTPJSONDecoder, as the update identity and the
 * admin recovery handlers read their bodies: the body must be present and
 * JSON, unknown fields are ignored, and a decoding error is a 400 with
 * `Unable to decode JSON payload: <Go's error>` as its reason.
 */
export async function decodeHttpJson(ctx: HttpContext, type: GoType & { kind: "struct" }): Promise<Record<string, GoJson>> {
  if (ctx.header("content-length") === "0") {
    throw adminErrors.badRequest('Unable to decode HTTP Request Body because its HTTP Header "Content-Length" is zero.');
  }
  const contentType = ctx.header("content-type") ?? "";
  if ((contentType.split(";")[0] ?? "").trim().toLowerCase() !== "application/json") {
    throw adminErrors.badRequest(
      `HTTP ${ctx.method} Request used unknown HTTP Header "Content-Type: ${contentType}", only [application/json] are supported.`,
    );
  }
  // decodeJSON's io.ReadAll error — past the cap, or a late body's `read tcp …: i/o timeout` — is `Unable to read HTTP POST body: …`.
  const raw = await readBodyOr(ctx, unreadableJsonBody);
  try {
    return decodeAdminBody(raw, (bytes) => decodeGoJson(bytes, type, { strict: false }));
  } catch (error) {
    if (error instanceof GoJsonError) throw adminErrors.badRequest(`Unable to decode JSON payload: ${error.message}`);
    throw error;
  }
}
