import { GoJsonError, goTimeQuote, unmarshalAs, type GoType } from "@olympus/server-kit/go-json";
import type { GoStruct } from "../admin/go-json";
import { GO_BOOL, GO_INT, GO_STRING, GO_TIME, JSON_RAW_MESSAGE, STRING_SLICE_JSON_FORMAT } from "../admin/go-structs";
import { joseJsonWebKey } from "../keys/jose-json";
import { formatGoDurationNanos, LIFESPAN_FIELDS, parseGoDurationNanos } from "./lifespans";

/**
 * Hydra v26.2's client.Client and client.Lifespans (client/client.go) as
 * encoding/json decodes them: json tags, oryx sqlxx types, the lifespans
 * embedded in the client (Go ≥ 1.24 names them in error paths:
 * `Client.Lifespans.<field>`), and x.NullDuration's own UnmarshalJSON.
 */

const UNITS = new Set(["ns", "us", "µs", "μs", "ms", "s", "m", "h"]);
const UNIT_NANOS: Record<string, bigint> = { ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1_000_000n, s: 1_000_000_000n };
const MAX = 1n << 63n;

const quote = (s: string) => goTimeQuote(Buffer.from(s, "utf8").toString("latin1"));

/**
 * time.ParseDuration's error for a text it refuses (time/format.go):
 * `missing unit`, `unknown unit "x"`, else `invalid duration` (overflow
 * included), in the order Go meets them.
 */
export function goDurationError(orig: string): string {
  const invalid = `time: invalid duration ${quote(orig)}`;
  let s = /^[-+]/.test(orig) ? orig.slice(1) : orig;
  if (s === "") return invalid;
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const fraction = m?.[2];
    if (whole === "" && (fraction === undefined || fraction === "")) return invalid;
    if (whole !== "" && BigInt(whole) > MAX) return invalid;
    s = s.slice(m?.[0].length ?? 0);
    const unitLength = /^[^0-9.]*/.exec(s)?.[0].length ?? 0;
    if (unitLength === 0) return `time: missing unit in duration ${quote(orig)}`;
    const unit = s.slice(0, unitLength);
    s = s.slice(unitLength);
    if (!UNITS.has(unit)) return `time: unknown unit ${quote(unit)} in duration ${quote(orig)}`;
    const scale = UNIT_NANOS[unit] ?? (unit === "m" ? 60_000_000_000n : 3_600_000_000_000n);
    const v = BigInt(whole || "0");
    if (v > MAX / scale) return invalid;
    total += v * scale;
    if (fraction) total += (BigInt(fraction.slice(0, 18)) * scale) / 10n ** BigInt(Math.min(fraction.length, 18));
    if (total > MAX) return invalid;
  }
  return invalid;
}

/**
 * x.NullDuration.UnmarshalJSON (x/sqlx.go): `null` leaves it unset;
 * anything else is json.Unmarshal'ed into a string (a type error names the
 * field, with type string) and parsed by time.ParseDuration. Decodes to
 * Go's Duration.String of the value (zero and negative ones kept).
 */
export const NULL_DURATION: GoType = {
  kind: "unmarshaler",
  name: "x.NullDuration",
  decode: (node) => {
    if (node.t === "null") return undefined;
    const text = unmarshalAs(node, GO_STRING);
    if (typeof text !== "string") return undefined;
    const nanos = parseGoDurationNanos(text);
    if (nanos === undefined) throw new GoJsonError(goDurationError(text));
    return formatGoDurationNanos(nanos);
  },
};

const LIFESPAN_TYPES: Record<string, GoType> = Object.fromEntries(LIFESPAN_FIELDS.map((field) => [field, NULL_DURATION]));

/** client.Lifespans: the body of PUT /admin/clients/{id}/lifespans. */
export const LIFESPANS: GoStruct = { kind: "struct", name: "client.Lifespans", fields: LIFESPAN_TYPES };

/**
 * oryx sqlxx.NullBool.UnmarshalJSON: `null` unset, else json.Unmarshal into
 * a bool whose error it wraps (errors.WithStack), so Go adds no field
 * context: `json: cannot unmarshal string into Go value of type bool`.
 */
const NULL_BOOL: GoType = {
  kind: "unmarshaler",
  name: "sqlxx.NullBool",
  decode: (node) => {
    if (node.t === "null") return undefined;
    try {
      return unmarshalAs(node, GO_BOOL);
    } catch (error) {
      throw error instanceof GoJsonError ? new GoJsonError(error.message) : error;
    }
  },
};

/**
 * x.JoseJSONWebKeySet: a struct embedding *jose.JSONWebKeySet, whose
 * `keys` are jose.JSONWebKey values (go-jose's UnmarshalJSON each).
 */
const JOSE_JSON_WEB_KEY_SET: GoType = {
  kind: "struct",
  name: "x.JoseJSONWebKeySet",
  pointer: true,
  fields: {},
  embedded: [{ name: "JSONWebKeySet", fields: { keys: { kind: "slice", name: "[]jose.JSONWebKey", elem: joseJsonWebKey() } } }],
};

/** client.Client: the body of POST/PUT /admin/clients and of dynamic registration. */
export const CLIENT: GoStruct = {
  kind: "struct",
  name: "client.Client",
  fields: {
    client_id: GO_STRING,
    client_name: GO_STRING,
    client_secret: GO_STRING,
    redirect_uris: STRING_SLICE_JSON_FORMAT,
    grant_types: STRING_SLICE_JSON_FORMAT,
    response_types: STRING_SLICE_JSON_FORMAT,
    scope: GO_STRING,
    audience: STRING_SLICE_JSON_FORMAT,
    owner: GO_STRING,
    policy_uri: GO_STRING,
    allowed_cors_origins: STRING_SLICE_JSON_FORMAT,
    tos_uri: GO_STRING,
    client_uri: GO_STRING,
    logo_uri: GO_STRING,
    contacts: STRING_SLICE_JSON_FORMAT,
    client_secret_expires_at: GO_INT,
    subject_type: GO_STRING,
    sector_identifier_uri: GO_STRING,
    jwks_uri: GO_STRING,
    jwks: JOSE_JSON_WEB_KEY_SET,
    token_endpoint_auth_method: GO_STRING,
    token_endpoint_auth_signing_alg: GO_STRING,
    request_uris: STRING_SLICE_JSON_FORMAT,
    request_object_signing_alg: GO_STRING,
    userinfo_signed_response_alg: GO_STRING,
    created_at: GO_TIME,
    updated_at: GO_TIME,
    frontchannel_logout_uri: GO_STRING,
    frontchannel_logout_session_required: GO_BOOL,
    post_logout_redirect_uris: STRING_SLICE_JSON_FORMAT,
    backchannel_logout_uri: GO_STRING,
    backchannel_logout_session_required: GO_BOOL,
    metadata: JSON_RAW_MESSAGE,
    registration_access_token: GO_STRING,
    registration_client_uri: GO_STRING,
    access_token_strategy: GO_STRING,
    skip_consent: GO_BOOL,
    skip_logout_consent: NULL_BOOL,
  },
  embedded: [{ name: "Lifespans", fields: LIFESPAN_TYPES }],
};
