import type { GoType } from "@olympus/server-kit/go-json";
import type { GoStruct } from "./go-json";

/**
 * The Go types of Hydra v26.2's request bodies (flow/consent_types.go,
 * jwk/handler.go), with their json tags, as the shared Go decoder reads them.
 */

export const GO_STRING: GoType = { kind: "string", name: "string" };
export const GO_BOOL: GoType = { kind: "bool" };
export const GO_INT: GoType = { kind: "int" };
export const GO_STRINGS: GoType = { kind: "slice", name: "[]string", elem: GO_STRING };
/** oryx sqlxx.StringSliceJSONFormat: a []string for encoding/json (only its SQL form differs). */
export const STRING_SLICE_JSON_FORMAT: GoType = { kind: "slice", name: "sqlxx.StringSliceJSONFormat", elem: GO_STRING };
/** oryx sqlxx.JSONRawMessage: its UnmarshalJSON keeps the bytes, `null` included. */
export const JSON_RAW_MESSAGE: GoType = { kind: "raw", name: "sqlxx.JSONRawMessage" };
export const GO_TIME: GoType = { kind: "time", name: "time.Time" };

/** flow.HandledLoginRequest: the body of PUT …/login/accept. */
export const HANDLED_LOGIN_REQUEST: GoStruct = {
  kind: "struct",
  name: "flow.HandledLoginRequest",
  fields: {
    remember: GO_BOOL,
    remember_for: GO_INT,
    extend_session_lifespan: GO_BOOL,
    acr: GO_STRING,
    amr: STRING_SLICE_JSON_FORMAT,
    subject: GO_STRING,
    identity_provider_session_id: GO_STRING,
    force_subject_identifier: GO_STRING,
    context: JSON_RAW_MESSAGE,
  },
};

/** flow.AcceptOAuth2ConsentRequest: the body of PUT …/consent/accept. */
export const ACCEPT_OAUTH2_CONSENT_REQUEST: GoStruct = {
  kind: "struct",
  name: "flow.AcceptOAuth2ConsentRequest",
  fields: {
    grant_scope: STRING_SLICE_JSON_FORMAT,
    grant_access_token_audience: STRING_SLICE_JSON_FORMAT,
    session: {
      kind: "struct",
      name: "flow.AcceptOAuth2ConsentRequestSession",
      pointer: true,
      fields: {
        access_token: { kind: "map", name: "map[string]interface {}", elem: { kind: "any" } },
        id_token: { kind: "map", name: "map[string]interface {}", elem: { kind: "any" } },
      },
    },
    remember: GO_BOOL,
    remember_for: GO_INT,
    context: JSON_RAW_MESSAGE,
  },
};

/** flow.RequestDeniedError: the body of every reject endpoint. */
export const REQUEST_DENIED_ERROR: GoStruct = {
  kind: "struct",
  name: "flow.RequestDeniedError",
  fields: {
    error: GO_STRING,
    error_description: GO_STRING,
    error_hint: GO_STRING,
    status_code: GO_INT,
    error_debug: GO_STRING,
    valid: GO_BOOL,
  },
};

/** flow.AcceptDeviceUserCodeRequest: the body of PUT …/device/accept. */
export const ACCEPT_DEVICE_USER_CODE_REQUEST: GoStruct = {
  kind: "struct",
  name: "flow.AcceptDeviceUserCodeRequest",
  fields: { user_code: GO_STRING },
};

/** jwk.createJsonWebKeySetBody: the body of POST /admin/keys/{set}. */
export const CREATE_JSON_WEB_KEY_SET_BODY: GoStruct = {
  kind: "struct",
  name: "jwk.createJsonWebKeySetBody",
  fields: { alg: GO_STRING, use: GO_STRING, kid: GO_STRING },
};
