import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "../testing/harness";

/**
 * Bodies Hydra v26.2 decodes with json.NewDecoder(r.Body).Decode into its
 * structs (Go 1.26 encoding/json: decode.go, scanner.go; go-jose v3
 * JSONWebKey.UnmarshalJSON; x/sqlx.go NullDuration; oryx sqlxx.NullBool),
 * answered with each handler's own wrapping of Go's error:
 * client/handler.go CreateClient and setOAuth2ClientLifespans (herodot bad
 * request "Unable to decode the request body: …"), jwk/handler.go
 * createJsonWebKeySet, setJsonWebKeySet, adminUpdateJsonWebKey (the same),
 * consent/handler.go acceptOAuth2LoginRequest / rejectOAuth2LoginRequest
 * (invalid_request "Unable to decode body because: …"),
 * acceptOAuth2ConsentRequest (the bare error, which the error enhancer
 * cannot name), acceptUserCodeRequest (invalid_request "Unable to decode
 * request body: …"), oauth2/trust/handler.go trustOAuth2JwtGrantIssuer (the
 * bare text as `error_description`).
 */

const MALFORMED = "The request was malformed or contained invalid parameters";
const LAYOUT = '"2006-01-02T15:04:05Z07:00"';

let pg: TestPostgres;
let hydra: HydraUnderTest;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
});

afterAll(() => stopHydraAndPostgres(hydra, pg));

async function send(method: string, path: string, body: string | Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, hydra.adminUrl), { method, headers: { "content-type": "application/json" }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Herodot's bad request with Go's message after the handler's reason. */
const badRequest = (message: string) => ({
  status: 400,
  body: { error: MALFORMED, error_description: `Unable to decode the request body: ${message}` },
});

describe("client.Client (client/handler.go CreateClient, client/client.go)", () => {
  it("a syntax error is the scanner's, a stray byte quoted as the rune of its value", async () => {
    expect(await send("POST", "admin/clients", '{"client_name":}')).toEqual(
      badRequest("invalid character '}' looking for beginning of value"),
    );
    expect(await send("POST", "admin/clients", Buffer.from([0x7b, 0xff]))).toEqual(
      badRequest("invalid character 'ÿ' looking for beginning of object key string"),
    );
    expect(await send("POST", "admin/clients", '{"client_name":"a"')).toEqual(badRequest("unexpected EOF"));
  });

  it("a wrong type on a nested field names the innermost struct and the path, embedded structs included (Go ≥ 1.24)", async () => {
    expect(await send("POST", "admin/clients", '{"jwks":{"keys":"x"}}')).toEqual(
      badRequest("json: cannot unmarshal string into Go struct field JoseJSONWebKeySet.jwks.JSONWebKeySet.keys of type []jose.JSONWebKey"),
    );
    expect(await send("POST", "admin/clients", '{"redirect_uris":["https://a.example",1]}')).toEqual(
      badRequest("json: cannot unmarshal number into Go struct field Client.redirect_uris of type string"),
    );
    // x.NullDuration unmarshals into a string itself; Go gives its error the field's context.
    expect(await send("POST", "admin/clients", '{"authorization_code_grant_access_token_lifespan":5}')).toEqual(
      badRequest(
        "json: cannot unmarshal number into Go struct field Client.Lifespans.authorization_code_grant_access_token_lifespan of type string",
      ),
    );
    // sqlxx.NullBool wraps its error (errors.WithStack): Go adds no context to what it cannot recognise.
    expect(await send("POST", "admin/clients", '{"skip_logout_consent":"yes"}')).toEqual(
      badRequest("json: cannot unmarshal string into Go value of type bool"),
    );
    expect(await send("POST", "admin/clients", "[]")).toEqual(
      badRequest("json: cannot unmarshal array into Go value of type client.Client"),
    );
  });

  it("a number past the field's type is refused with the literal as written", async () => {
    expect(await send("POST", "admin/clients", '{"client_secret_expires_at":9223372036854775808}')).toEqual(
      badRequest("json: cannot unmarshal number 9223372036854775808 into Go struct field Client.client_secret_expires_at of type int"),
    );
    expect(await send("POST", "admin/clients", '{"client_secret_expires_at":1.5}')).toEqual(
      badRequest("json: cannot unmarshal number 1.5 into Go struct field Client.client_secret_expires_at of type int"),
    );
  });

  it("a wrong time is time.Parse's error, and it wins over an earlier type error (an unmarshaler's error stops decoding)", async () => {
    expect(await send("POST", "admin/clients", '{"created_at":"yesterday"}')).toEqual(
      badRequest(`parsing time "yesterday" as ${LAYOUT}: cannot parse "yesterday" as "2006"`),
    );
    expect(await send("POST", "admin/clients", '{"client_name":5,"updated_at":"2020-02-30T00:00:00Z"}')).toEqual(
      badRequest('parsing time "2020-02-30T00:00:00Z": day out of range'),
    );
    expect(await send("POST", "admin/clients", '{"created_at":5}')).toEqual(badRequest("Time.UnmarshalJSON: input is not a JSON string"));
  });

  it("a key Go reads case-insensitively is that field", async () => {
    expect(await send("POST", "admin/clients", '{"CLIENT_NAME":7}')).toEqual(
      badRequest("json: cannot unmarshal number into Go struct field Client.client_name of type string"),
    );
  });
});

describe("client.Lifespans (client/handler.go setOAuth2ClientLifespans)", () => {
  it("names the lifespan in Lifespans itself", async () => {
    const created = await send("POST", "admin/clients", '{"grant_types":["client_credentials"]}');
    const id = String(created.body.client_id);
    expect(await send("PUT", `admin/clients/${id}/lifespans`, '{"jwt_bearer_grant_access_token_lifespan":[]}')).toEqual(
      badRequest("json: cannot unmarshal array into Go struct field Lifespans.jwt_bearer_grant_access_token_lifespan of type string"),
    );
    expect(await send("PUT", `admin/clients/${id}/lifespans`, "{")).toEqual(badRequest("unexpected EOF"));
  });
});

describe("JSON Web Keys (jwk/handler.go, go-jose v3 JSONWebKey.UnmarshalJSON)", () => {
  it("createJsonWebKeySetBody: syntax and type errors", async () => {
    expect(await send("POST", "admin/keys/go-bodies", "{'alg':1}")).toEqual(
      badRequest("invalid character '\\'' looking for beginning of object key string"),
    );
    expect(await send("POST", "admin/keys/go-bodies", '{"alg":1}')).toEqual(
      badRequest("json: cannot unmarshal number into Go struct field createJsonWebKeySetBody.alg of type string"),
    );
  });

  it("a key set's keys are read by go-jose's own json package, whose errors name no field (go-jose json/decode.go UnmarshalTypeError)", async () => {
    expect(await send("PUT", "admin/keys/go-bodies", '{"keys":{}}')).toEqual(
      badRequest("json: cannot unmarshal object into Go struct field JSONWebKeySet.keys of type []jose.JSONWebKey"),
    );
    expect(await send("PUT", "admin/keys/go-bodies", '{"keys":["x"]}')).toEqual(
      badRequest("json: cannot unmarshal string into Go value of type jose.rawJSONWebKey"),
    );
    expect(await send("PUT", "admin/keys/go-bodies", '{"keys":[{"kty":"RSA","n":5}]}')).toEqual(
      badRequest("json: cannot unmarshal number into Go value of type string"),
    );
    expect(await send("PUT", "admin/keys/go-bodies", '{"keys":[{"kty":"oct","k":"a*b"}]}')).toEqual(
      badRequest("illegal base64 data at input byte 1"),
    );
  });

  it("a single key is decoded by go-jose alone: no outer struct to name", async () => {
    expect(await send("PUT", "admin/keys/go-bodies/k1", "[]")).toEqual(
      badRequest("json: cannot unmarshal array into Go value of type jose.rawJSONWebKey"),
    );
    expect(await send("PUT", "admin/keys/go-bodies/k1", '{"kty":1}')).toEqual(
      badRequest("json: cannot unmarshal number into Go value of type string"),
    );
    expect(await send("PUT", "admin/keys/go-bodies/k1", "null")).toEqual(badRequest("go-jose/go-jose: unknown json web key type ''"));
  });
});

describe("login and consent decisions (consent/handler.go)", () => {
  const loginError = (message: string) => ({
    status: 400,
    body: { error: "invalid_request", error_description: expect.stringContaining(`Unable to decode body because: ${message}`) as unknown },
  });

  it("accepting a login: Go's error in fosite's hint, before the challenge is looked up", async () => {
    const path = "admin/oauth2/auth/requests/login/accept?login_challenge=unknown";
    expect(await send("PUT", path, '{"subject":"a",}')).toMatchObject(
      loginError("invalid character '}' looking for beginning of object key string"),
    );
    expect(await send("PUT", path, '{"subject":"a","amr":["pwd",2]}')).toMatchObject(
      loginError("json: cannot unmarshal number into Go struct field HandledLoginRequest.amr of type string"),
    );
    expect(await send("PUT", path, '{"subject":"a","remember_for":99999999999999999999}')).toMatchObject(
      loginError("json: cannot unmarshal number 99999999999999999999 into Go struct field HandledLoginRequest.remember_for of type int"),
    );
  });

  it("a missing challenge is refused before the body is read", async () => {
    const response = await send("PUT", "admin/oauth2/auth/requests/login/accept", "not json");
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: expect.stringContaining("Query parameter 'challenge' is not defined") as unknown,
      },
    });
  });

  it("rejecting a login: the same wrapping", async () => {
    expect(await send("PUT", "admin/oauth2/auth/requests/login/reject?challenge=unknown", '{"status_code":1e3}')).toMatchObject(
      loginError("json: cannot unmarshal number 1e3 into Go struct field RequestDeniedError.status_code of type int"),
    );
  });

  it("accepting consent: the bare error, which Hydra's error enhancer cannot name", async () => {
    const unrecognizable = { status: 400, body: { error: "error", error_description: "The error is unrecognizable" } };
    const path = "admin/oauth2/auth/requests/consent/accept?consent_challenge=unknown";
    expect(await send("PUT", path, '{"session":{"id_token":[]}}')).toEqual(unrecognizable);
    expect(await send("PUT", path, '{"remember_for":1.5}')).toEqual(unrecognizable);
  });
});

describe("device user code (consent/handler.go acceptUserCodeRequest)", () => {
  it("Go's error in fosite's hint", async () => {
    const response = await send("PUT", "admin/oauth2/auth/requests/device/accept?device_challenge=unknown", '{"user_code":["a"]}');
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: expect.stringContaining(
          "Unable to decode request body: json: cannot unmarshal array into Go struct field AcceptDeviceUserCodeRequest.user_code of type string",
        ) as unknown,
      },
    });
  });
});

describe("trust.createGrantRequest (oauth2/trust/handler.go trustOAuth2JwtGrantIssuer)", () => {
  const path = "admin/trust/grants/jwt-bearer/issuers";
  const described = (message: string) => ({ status: 400, body: { error: "error", error_description: message } });

  it("a wrong time, a nested type error inside the key, and go-jose's refusal of `null`", async () => {
    expect(await send("POST", path, '{"issuer":"i","expires_at":"2030-01-01"}')).toEqual(
      described(`parsing time "2030-01-01" as ${LAYOUT}: cannot parse "" as "T"`),
    );
    expect(await send("POST", path, '{"jwk":{"kty":5}}')).toEqual(described("json: cannot unmarshal number into Go value of type string"));
    expect(await send("POST", path, '{"jwk":"x"}')).toEqual(
      described("json: cannot unmarshal string into Go value of type jose.rawJSONWebKey"),
    );
    expect(await send("POST", path, '{"jwk":null}')).toEqual(described("go-jose/go-jose: unknown json web key type ''"));
    expect(await send("POST", path, '{"scope":["a",true]}')).toEqual(
      described("json: cannot unmarshal bool into Go struct field createGrantRequest.scope of type string"),
    );
  });
});
