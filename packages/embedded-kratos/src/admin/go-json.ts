/**
 * Kratos' admin bodies decoded as Go's encoding/json decodes them into
 * Kratos' request structs (@olympus/server-kit/go-json, shared with the
 * embedded Hydra). What is Kratos' own: traits and metadata are
 * json.RawMessage fields Kratos answers with the text it stores, so a raw
 * field with `keepText` decodes to a JsonText (http/json-text.ts).
 */

import { decodeGoJson as decodeKitJson, type GoJson as KitGoJson, type GoType } from "@olympus/server-kit/go-json";
import { JsonText } from "../http/json-text";

export { GoJsonError, GoUnmarshalTypeError, uuidParseError, type GoType } from "@olympus/server-kit/go-json";

export type GoJson = KitGoJson<JsonText>;

const keepText = (text: string, value: unknown) => new JsonText(text, value);

/** decodeGoJson of the kit (json.Decoder.Decode of the body's bytes), raw fields with `keepText` as JsonText. */
export const decodeGoJson = (body: Uint8Array | string, type: GoType & { kind: "struct" }, options: { strict: boolean }) =>
  decodeKitJson(body, type, { ...options, keepText });
