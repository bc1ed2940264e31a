import { GoJsonError, type GoNode, type GoType } from "@olympus/server-kit/go-json";
import { goJoseJwkError } from "./go-jose-jwk";
import { goJoseMarshal } from "./go-jose-marshal";
import { decodeGoJoseRaw } from "./go-jose-raw";
import { nodeLoadError } from "./node-loadable";

/**
 * go-jose v3's JSONWebKey as encoding/json decodes it (jwk.go
 * JSONWebKey.UnmarshalJSON): the value is read into rawJSONWebKey by
 * go-jose's own json package (keys/go-jose-raw.ts: exact member names,
 * repeated members refused, its errors without a field's context — `null`
 * and every type error reach it), the key is then checked as go-jose checks
 * it (keys/go-jose-jwk.ts) and must load into Node's crypto
 * (keys/node-loadable.ts).
 */

/**
 * A jose.JSONWebKey field or element: its value is the key as go-jose
 * marshals what it decoded (keys/go-jose-marshal.ts) — what Hydra stores
 * and answers.
 */
export function joseJsonWebKey(): GoType {
  return {
    kind: "unmarshaler",
    name: "jose.JSONWebKey",
    decode: (node: GoNode) => {
      const raw = decodeGoJoseRaw(node);
      const error = goJoseJwkError(raw) ?? nodeLoadError(raw);
      if (error) throw new GoJsonError(error);
      return goJoseMarshal(raw);
    },
  };
}
