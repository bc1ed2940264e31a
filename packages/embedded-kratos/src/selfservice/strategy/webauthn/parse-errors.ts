import { decodeAttestationObject, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import {
  decodeGoJsonValue,
  GoJsonError,
  GoSyntaxError,
  GoValueTooDeepError,
  rawNodeText,
  scanGoJson,
  type GoNode,
  type GoType,
} from "@olympus/server-kit/go-json";
import { goTrim, goTrimRight } from "@olympus/server-kit/text";

/**
 * go-webauthn v0.11.2's protocol.ParseCredentialCreationResponseBody as
 * Kratos' sign-up and settings handlers (webauthn and passkey) run it: the
 * error's text is protocol.Error's Details (Error() returns only those; the
 * DevInfo such as "Missing ID" is not shown), which Kratos puts after
 * "Unable to parse WebAuthn response: ".
 */

/** ErrBadRequest.WithDetails: the body does not decode, or Parse refuses the id or type (protocol/credential.go). */
export const REGISTRATION_PARSE_ERROR = "Parse error for Registration";
/** ErrParsingData.WithDetails: AuthenticatorAttestationResponse.Parse failed (protocol/attestation.go). */
export const ATTESTATION_PARSE_ERROR = "Error parsing attestation response";

/**
 * go-webauthn's base64 decoding of a RawURLEncoding text (encoding/base64):
 * `\r` and `\n` are skipped, anything outside the URL alphabet (padding
 * included) or a length leaving one character over fails. The decoded
 * length, or undefined when it fails.
 */
function rawUrlDecodedLength(text: string): number | undefined {
  const data = text.replace(/[\r\n]/g, "");
  if (!/^[A-Za-z0-9_-]*$/.test(data) || data.length % 4 === 1) return undefined;
  return Math.floor((data.length * 6) / 8);
}

/** protocol.URLEncodedBase64.UnmarshalJSON: the literal's text with `"` trimmed from both ends and `=` from the end. */
function urlEncodedBase64(node: GoNode): string | undefined {
  if (node.t === "null") return undefined;
  const text = goTrimRight(goTrim(rawNodeText(node), '"'), "=");
  if (rawUrlDecodedLength(text) === undefined) throw new GoJsonError("illegal base64 data");
  return Buffer.from(text.replace(/[\r\n]/g, ""), "base64url").toString("base64url");
}

const str: GoType = { kind: "string", name: "string" };
const b64: GoType = { kind: "unmarshaler", name: "protocol.URLEncodedBase64", decode: urlEncodedBase64 };

/** protocol.CredentialCreationResponse, its embedded Credential and PublicKeyCredential fields flattened. */
const creationResponseType: GoType & { kind: "struct" } = {
  kind: "struct",
  name: "protocol.CredentialCreationResponse",
  fields: {
    id: str,
    type: str,
    rawId: b64,
    clientExtensionResults: { kind: "map", name: "protocol.AuthenticationExtensionsClientOutputs", elem: { kind: "any" } },
    authenticatorAttachment: str,
    response: {
      kind: "struct",
      name: "protocol.AuthenticatorAttestationResponse",
      fields: {
        clientDataJSON: b64,
        transports: { kind: "slice", name: "[]string", elem: str },
        authenticatorData: b64,
        publicKey: b64,
        publicKeyAlgorithm: { kind: "int", name: "int64" },
        attestationObject: b64,
      },
    },
  },
};

/** protocol.CollectedClientData, as AuthenticatorAttestationResponse.Parse unmarshals clientDataJSON into it. */
const collectedClientDataType: GoType = {
  kind: "struct",
  name: "protocol.CollectedClientData",
  fields: {
    type: { kind: "string", name: "protocol.CeremonyType" },
    challenge: str,
    origin: str,
    topOrigin: str,
    crossOrigin: { kind: "bool" },
    tokenBinding: { kind: "struct", name: "protocol.TokenBinding", pointer: true, fields: { status: str, id: str } },
    hint: str,
  },
};

/** json.Unmarshal semantics: exactly one JSON value (decodeBody's trailing-data check, or Unmarshal's own). */
function decodeOne(bytes: Uint8Array, type: GoType): unknown {
  scanGoJson(bytes, "unmarshal");
  return decodeGoJsonValue(bytes, type, { strict: false });
}

const isGoDecodeError = (error: unknown) =>
  error instanceof GoJsonError || error instanceof GoSyntaxError || error instanceof GoValueTooDeepError;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const textOf = (record: Record<string, unknown>, key: string): string => (typeof record[key] === "string" ? record[key] : "");

/** AuthenticatorAttestationResponse.Parse: clientDataJSON as JSON, attestationObject as CBOR, its authData, the AT flag. */
function attestationParses(response: Record<string, unknown>): boolean {
  try {
    decodeOne(Buffer.from(textOf(response, "clientDataJSON"), "base64url"), collectedClientDataType);
  } catch (error) {
    if (isGoDecodeError(error)) return false;
    throw error;
  }
  try {
    const attestation = decodeAttestationObject(new Uint8Array(Buffer.from(textOf(response, "attestationObject"), "base64url")));
    const authData: unknown = attestation.get("authData");
    const format: unknown = attestation.get("fmt");
    if (!(authData instanceof Uint8Array) || (format !== undefined && typeof format !== "string")) return false;
    return parseAuthenticatorData(new Uint8Array(authData)).flags.at;
  } catch {
    // The CBOR reader's and authData parser's own errors: go-webauthn's webauthncbor / AuthenticatorData.Unmarshal refusals.
    return false;
  }
}

/**
 * The Details go-webauthn's ParseCredentialCreationResponseBody fails with
 * for `raw`, or undefined when it parses. The CBOR and authenticator-data
 * checks are @simplewebauthn's readers, not go-webauthn's: both answer the
 * same text, but the two readers can disagree on an unusual encoding.
 */
export function creationParseError(raw: string): string | undefined {
  let decoded: unknown;
  try {
    decoded = decodeOne(Buffer.from(raw, "utf8"), creationResponseType);
  } catch (error) {
    if (isGoDecodeError(error)) return REGISTRATION_PARSE_ERROR;
    throw error;
  }
  const response = isRecord(decoded) ? decoded : {};
  // CredentialCreationResponse.Parse: the id (raw base64url, not empty), then the type.
  const id = textOf(response, "id");
  if (id === "" || !rawUrlDecodedLength(id)) return REGISTRATION_PARSE_ERROR;
  if (textOf(response, "type") !== "public-key") return REGISTRATION_PARSE_ERROR;
  const attestation = isRecord(response.response) ? response.response : {};
  return attestationParses(attestation) ? undefined : ATTESTATION_PARSE_ERROR;
}
