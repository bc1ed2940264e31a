import { GoJsonError, GoUnmarshalTypeError, type GoJson, type GoNode, type GoType } from "@olympus/server-kit/go-json";
import { goQuote } from "@olympus/server-kit/go-strconv";

/**
 * x/oauth2's tokenJSON (internal/token.go), the struct a JSON token answer
 * is unmarshalled into: its decoding errors are what Kratos shows as
 * `oauth2: cannot parse json: <error>`. expires_in is an expirationTime:
 * `null` is 0, anything else goes through json.Number (a number, or a
 * string holding a valid one) and Number.Int64, capped at MaxInt32.
 */
export const TOKEN_JSON: GoType = {
  kind: "struct",
  name: "internal.tokenJSON",
  fields: {
    access_token: { kind: "string", name: "string" },
    token_type: { kind: "string", name: "string" },
    refresh_token: { kind: "string", name: "string" },
    expires_in: { kind: "unmarshaler", name: "internal.expirationTime", decode: expirationTime },
    error: { kind: "string", name: "string" },
    error_description: { kind: "string", name: "string" },
    error_uri: { kind: "string", name: "string" },
  },
};

function expirationTime(node: GoNode): GoJson<never> | undefined {
  if (node.t === "null") return undefined;
  if (node.t !== "number" && node.t !== "string") throw new GoUnmarshalTypeError(node.t, "json.Number");
  // literalStore: a string unmarshalled into a json.Number must hold a valid number literal.
  if (node.t === "string" && !VALID_NUMBER.test(node.v))
    throw new GoJsonError(`json: invalid number literal, trying to unmarshal ${goQuote(`"${node.raw}"`)} into Number`);
  const text = node.t === "number" ? node.raw : node.v;
  // Number.Int64 is strconv.ParseInt(text, 10, 64).
  if (!/^-?\d+$/.test(text)) throw new GoJsonError(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  const n = BigInt(text);
  if (n < -(1n << 63n) || n >= 1n << 63n) throw new GoJsonError(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  return Number(n > 2147483647n ? 2147483647n : n);
}

/** encoding/json isValidNumber. */
const VALID_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
