import { describe, expect, it } from "vitest";
import { ATTESTATION_PARSE_ERROR, creationParseError, REGISTRATION_PARSE_ERROR } from "./parse-errors";
import { cbor, SoftwareAuthenticator } from "./testing/software-authenticator";

/**
 * go-webauthn v0.11.2 protocol/credential.go ParseCredentialCreationResponseBody
 * (decodeBody, CredentialCreationResponse.Parse) and protocol/attestation.go
 * AuthenticatorAttestationResponse.Parse: the Details of the protocol.Error
 * each malformed shape fails with — what Kratos' registration.go and
 * settings.go put after "Unable to parse WebAuthn response: ".
 */
const options = {
  publicKey: { challenge: "Y2hhbGxlbmdl", rp: { id: "ciam.localhost", name: "ciam" }, user: { id: "dXNlcg" } },
};
const valid = (): Record<string, unknown> & { response: Record<string, unknown> } =>
  JSON.parse(new SoftwareAuthenticator("http://ciam.localhost:3000", "ciam.localhost").create(options)) as Record<string, unknown> & {
    response: Record<string, unknown>;
  };
const errorOf = (value: unknown) => creationParseError(JSON.stringify(value));
const b64url = (value: string | Uint8Array) => Buffer.from(value).toString("base64url");

describe("go-webauthn's parse errors for a registration answer", () => {
  it("parses what an authenticator sends", () => {
    expect(errorOf(valid())).toBeUndefined();
  });

  it("answers 'Parse error for Registration' where decodeBody or Parse refuse the answer", () => {
    // decodeBody: not JSON, trailing data, a field of the wrong JSON type, a URLEncodedBase64 that does not decode.
    expect(creationParseError("{")).toBe(REGISTRATION_PARSE_ERROR);
    expect(creationParseError(`${JSON.stringify(valid())} {}`)).toBe(REGISTRATION_PARSE_ERROR);
    expect(creationParseError("")).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), id: 5 })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), rawId: "not base64!" })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), response: { ...valid().response, clientDataJSON: "%%%" } })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), response: { ...valid().response, publicKeyAlgorithm: 1.5 } })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), clientExtensionResults: [] })).toBe(REGISTRATION_PARSE_ERROR);
    // Parse: missing id, an id that is not raw base64url (padding included), missing type, another type.
    expect(errorOf({ ...valid(), id: undefined })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), id: "AAAA==" })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), type: undefined })).toBe(REGISTRATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), type: "password" })).toBe(REGISTRATION_PARSE_ERROR);
    expect(creationParseError("null")).toBe(REGISTRATION_PARSE_ERROR);
  });

  it("answers 'Error parsing attestation response' where the attestation response does not parse", () => {
    expect(errorOf({ ...valid(), response: undefined })).toBe(ATTESTATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), response: { ...valid().response, clientDataJSON: b64url("{") } })).toBe(ATTESTATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), response: { ...valid().response, clientDataJSON: b64url(`{"type":5}`) } })).toBe(ATTESTATION_PARSE_ERROR);
    expect(errorOf({ ...valid(), response: { ...valid().response, attestationObject: b64url("not cbor") } })).toBe(ATTESTATION_PARSE_ERROR);
    // Authenticator data too short, and without the attested-credential-data flag.
    const noAuthData = cbor({ fmt: "none", attStmt: {}, authData: new Uint8Array(10) });
    expect(errorOf({ ...valid(), response: { ...valid().response, attestationObject: b64url(noAuthData) } })).toBe(ATTESTATION_PARSE_ERROR);
    const noAtFlag = cbor({ fmt: "none", attStmt: {}, authData: new Uint8Array(37) });
    expect(errorOf({ ...valid(), response: { ...valid().response, attestationObject: b64url(noAtFlag) } })).toBe(ATTESTATION_PARSE_ERROR);
  });

  it("reads what Go's decoder reads: unknown fields, null base64 fields, padded base64 and case-insensitive keys", () => {
    expect(errorOf({ ...valid(), rawId: null, extra: [1] })).toBeUndefined();
    expect(errorOf({ ...valid(), rawId: `${String(valid().rawId)}==` })).toBeUndefined();
    const { type: _type, ...rest } = valid();
    expect(errorOf({ ...rest, TYPE: "public-key" })).toBeUndefined();
  });
});
