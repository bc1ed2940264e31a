import { goQueryParams } from "@olympus/server-kit/go-url";
import { HydraError, sendJson } from "../errors";
import { readDecoderBody } from "../http";
import { assertStorable } from "../storable";
import { decodeGoJson, type GoStruct } from "../admin/go-json";
import { GO_BOOL, GO_STRING, GO_STRINGS, GO_TIME } from "../admin/go-structs";
import { joseJsonWebKey } from "../keys/jose-json";
import { linkHeader, parsePageRequest } from "../admin/pagination";
import type { AdminRouter } from "../admin/router";
import { grantJson, roundToSecond, undecodableBody, validateGrant, type CreateGrantRequest } from "./grant";
import { isUuid, type TrustRepository } from "./repository";

/** Hydra's route (oauth2/trust/handler.go grantJWTBearerPath) under the admin prefix. */
export const TRUST_PATH = "/admin/trust/grants/jwt-bearer/issuers";

/** Go's zero time.Time (0001-01-01T00:00:00Z), which the validator reads as "not set". */
function isGoZeroTime(date: Date): boolean {
  return Number.isNaN(date.getTime()) || date.toISOString() === "0001-01-01T00:00:00.000Z";
}

/** trust.createGrantRequest (oauth2/trust/request.go): the body of POST …/jwt-bearer/issuers. */
const CREATE_GRANT_REQUEST: GoStruct = {
  kind: "struct",
  name: "trust.createGrantRequest",
  fields: {
    issuer: GO_STRING,
    subject: GO_STRING,
    allow_any_subject: GO_BOOL,
    scope: GO_STRINGS,
    // A non-pointer jose.JSONWebKey: go-jose's UnmarshalJSON runs for `null` too (and refuses it: no key type).
    jwk: joseJsonWebKey(),
    expires_at: GO_TIME,
  },
};

/** json.NewDecoder(r.Body).Decode(&createGrantRequest): Go's messages for a body of the wrong shape. */
function decodeCreateRequest(body: Uint8Array): CreateGrantRequest {
  const decoded = decodeGoJson(body, CREATE_GRANT_REQUEST);
  if (!decoded.ok) throw undecodableBody(decoded.message);
  const value = decoded.value;
  assertStorable(value);
  const jwk = typeof value.jwk === "object" && value.jwk !== null && !Array.isArray(value.jwk) ? { ...value.jwk } : null;
  const expires = typeof value.expires_at === "string" ? new Date(value.expires_at) : null;
  return {
    issuer: typeof value.issuer === "string" ? value.issuer : "",
    subject: typeof value.subject === "string" ? value.subject : "",
    allowAnySubject: value.allow_any_subject === true,
    scope: Array.isArray(value.scope) ? value.scope.map((item) => (typeof item === "string" ? item : "")) : null,
    jwk,
    expiresAt: expires && !isGoZeroTime(expires) ? expires : null,
  };
}

/** gofrs/uuid FromString's refusal, as Hydra passes it on ("Unable to parse parameter id: …"). */
function requireUuid(text: string): string {
  if (isUuid(text)) return text.toLowerCase();
  const reason = [32, 36, 38, 41, 45].includes(text.length)
    ? `uuid: incorrect UUID format in string ${JSON.stringify(text)}`
    : `uuid: incorrect UUID length ${text.length} in string ${JSON.stringify(text)}`;
  throw HydraError.malformed(`Unable to parse parameter id: ${reason}`);
}

/** Hydra's trust API for the JWT-bearer grant (oauth2/trust/handler.go SetRoutes). */
export function registerTrustRoutes(router: AdminRouter, trust: TrustRepository): void {
  router.add("POST", TRUST_PATH, async ({ req, res }) => {
    const request = decodeCreateRequest(await readDecoderBody(req, undecodableBody));
    validateGrant(request);
    const jwk = request.jwk ?? {};
    const grant = await trust.create(
      {
        issuer: request.issuer,
        subject: request.subject,
        allowAnySubject: request.allowAnySubject,
        scope: request.scope ?? [],
        // Hydra groups a trusted issuer's keys in one set named after it (trustOAuth2JwtGrantIssuer).
        keySet: request.issuer,
        keyId: String(jwk.kid),
        createdAt: roundToSecond(new Date()),
        expiresAt: roundToSecond(request.expiresAt ?? new Date()),
      },
      jwk,
    );
    sendJson(res, 201, grantJson(grant), { location: `/trust/grants/jwt-bearer/issuers/${encodeURIComponent(grant.id)}` });
  });

  router.add("GET", TRUST_PATH, async ({ res, url }) => {
    const page = parsePageRequest(url, (message) => HydraError.malformed(`Unable to parse pagination parameters: ${message}`));
    // oauth2/trust/handler.go adminListTrustedOAuth2JwtGrantIssuers: r.URL.Query().Get("issuer"), as Go parses the query.
    const issuer = goQueryParams(url.search).get("issuer") ?? "";
    const found = await trust.list(issuer, page.size, page.after);
    const items = found.slice(0, page.size);
    const nextAfter = found.length > page.size ? items.at(-1)?.id : undefined;
    sendJson(res, 200, items.map(grantJson), { link: linkHeader(url, page.size, nextAfter) });
  });

  router.add("GET", `${TRUST_PATH}/:id`, async ({ res, params }) => {
    const grant = await trust.get(requireUuid(params.id ?? ""));
    if (!grant) throw HydraError.noRows();
    sendJson(res, 200, grantJson(grant));
  });

  router.add("DELETE", `${TRUST_PATH}/:id`, async ({ res, params }) => {
    if (!(await trust.delete(requireUuid(params.id ?? "")))) throw HydraError.noRows();
    res.writeHead(204).end();
  });
}
