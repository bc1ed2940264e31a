import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBrowser } from "./testing/browser";
import { createClient } from "./testing/clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./testing/harness";
import { authorizeUrl } from "./testing/oauth";

/**
 * A refused login verifier sent back to the client, as Hydra writes it
 * (flow/flow_encoding.go decodeVerifier: access_denied; oauth2/handler.go
 * writeAuthorizeError → fosite/authorize_error.go WriteAuthorizeError):
 * in the response mode newAuthorizeRequest settled on (the one asked for,
 * else query for `code` and fragment for implicit and hybrid types,
 * authorize_request_handler.go), and in query mode the redirect URI's own
 * query added to the error parameters and all encoded by url.Values.Encode
 * (sorted keys, QueryEscape).
 */
const REDIRECT = "http://rp.localhost:5555/cb?z=1&a=b~*";
const STATE = "state ~*'!é";
const DESCRIPTION_ENCODED =
  "The+resource+owner+or+authorization+server+denied+the+request.+The+login+verifier+has+already+been+used%2C+has+not+been+granted%2C+or+is+invalid.";
const STATE_ENCODED = "state+~%2A%27%21%C3%A9";

let pg: TestPostgres;
let hydra: HydraUnderTest;
let clientId: string;

beforeAll(async () => {
  ({ postgres: pg, hydra } = await startHydraWithPostgres());
  clientId = (
    await createClient(hydra, {
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "implicit"],
      response_types: ["code", "code id_token"],
      scope: "email",
    })
  ).id;
}, 60_000);

afterAll(() => stopHydraAndPostgres(hydra, pg));

const refusedAt = async (params: Record<string, string>) => {
  const url = authorizeUrl(hydra, clientId, {
    redirect_uri: REDIRECT,
    scope: "email",
    state: STATE,
    login_verifier: "not-a-verifier",
    ...params,
  });
  const answer = await new TestBrowser().request(url);
  expect(answer.status).toBe(303);
  return answer.headers.get("location");
};

describe("a refused verifier's error redirect", () => {
  it("for response_type=code: the query, the redirect URI's own parameters included, in sorted key order and Go's encoding", async () => {
    expect(await refusedAt({ response_type: "code" })).toBe(
      `http://rp.localhost:5555/cb?a=b~%2A&error=access_denied&error_description=${DESCRIPTION_ENCODED}&state=${STATE_ENCODED}&z=1`,
    );
  });

  it("for a hybrid response type without response_mode: the fragment (fosite's default mode), the query left as registered", async () => {
    expect(await refusedAt({ response_type: "code id_token", nonce: "nonce-1234567" })).toBe(
      `${REDIRECT}#error=access_denied&error_description=${DESCRIPTION_ENCODED}&state=${STATE_ENCODED}`,
    );
  });

  it("for response_type=code with response_mode=fragment: the fragment", async () => {
    expect(await refusedAt({ response_type: "code", response_mode: "fragment" })).toBe(
      `${REDIRECT}#error=access_denied&error_description=${DESCRIPTION_ENCODED}&state=${STATE_ENCODED}`,
    );
  });
});
