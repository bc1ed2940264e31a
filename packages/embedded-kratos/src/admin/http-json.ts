import { assertStorable, readRawBody } from "../http/body";
import type { HttpContext } from "../http/context";
import { adminErrors } from "./errors";
import { decodeGoJson, GoJsonError, type GoJson, type GoType } from "./go-json";

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
  const raw = (await readRawBody(ctx)).toString("utf8");
  try {
    const decoded = decodeGoJson(raw, type, { strict: false });
    assertStorable(decoded);
    return decoded;
  } catch (error) {
    if (error instanceof GoJsonError) throw adminErrors.badRequest(`Unable to decode JSON payload: ${error.message}`);
    throw error;
  }
}
