/**
 * How Hydra's handlers read a JSON body: json.NewDecoder(r.Body).Decode
 * into the handler's struct, with Go's encoding/json as
 * @olympus/server-kit/go-json reproduces it (shared with the embedded
 * Kratos). Unknown fields are ignored, keys match case-insensitively, `null`
 * leaves a field as it is, and the first problem is reported with Go's own
 * text (`invalid character 'x' looking for beginning of value`,
 * `json: cannot unmarshal string into Go struct field HandledLoginRequest.remember of type bool`),
 * which each handler wraps in its own error. An empty body is Go's `EOF`.
 */

import {
  decodeGoJson as decodeKitJson,
  decodeGoJsonValue as decodeKitValue,
  GoJsonError,
  GoValueTooDeepError,
  type GoType,
} from "@olympus/server-kit/go-json";

export type GoStruct = GoType & { kind: "struct" };

export type GoDecoded = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * The node reader follows at most MAX_NODE_DEPTH levels; Go follows 10,000.
 * A deeper body is refused with the handler's error and this text.
 */
export const TOO_DEEP = "the request body is nested too deeply";

/** json.NewDecoder(body).Decode(&value) for a value of the struct `type`; Go's error text when it fails. */
export function decodeGoJson(body: Uint8Array | string, type: GoStruct): GoDecoded {
  return attempt(() => decodeKitJson(body, type, { strict: false }));
}

/** The same for a value of any type (a top-level jose.JSONWebKey); `null` is undefined. */
export function decodeGoJsonValue(body: Uint8Array | string, type: GoType): { ok: true; value: unknown } | { ok: false; message: string } {
  return attempt(() => decodeKitValue(body, type, { strict: false }));
}

function attempt<T>(decode: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    if (error instanceof GoValueTooDeepError) return { ok: false, message: TOO_DEEP };
    // Errors of Go's decoder and of the types' own UnmarshalJSON (go-jose's, time's) alike.
    if (error instanceof GoJsonError) return { ok: false, message: error.message };
    throw error;
  }
}
