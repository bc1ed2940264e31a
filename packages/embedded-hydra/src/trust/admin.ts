import { HydraError, sendJson } from "../errors";
import { readBody } from "../http";
import { assertStorable } from "../storable";
import { decodeGoJson } from "../admin/go-json";
import { linkHeader, parsePageRequest } from "../admin/pagination";
import type { AdminRouter } from "../admin/router";
import { jwkDecodeError } from "./assertion-jws";
import { grantJson, roundToSecond, undecodableBody, validateGrant, type CreateGrantRequest } from "./grant";
import { isUuid, type TrustRepository } from "./repository";

/** Hydra's route (oauth2/trust/handler.go grantJWTBearerPath) under the admin prefix. */
export const TRUST_PATH = "/admin/trust/grants/jwt-bearer/issuers";

/** Go's zero time.Time (0001-01-01T00:00:00Z), which the validator reads as "not set". */
function isGoZeroTime(date: Date): boolean {
  return Number.isNaN(date.getTime()) || date.toISOString() === "0001-01-01T00:00:00.000Z";
}

/** json.NewDecoder(r.Body).Decode(&createGrantRequest): Go's messages for a body of the wrong shape. */
function decodeCreateRequest(text: string): CreateGrantRequest {
  const decoded = decodeGoJson(text, "trust.createGrantRequest", {
    issuer: "string",
    subject: "string",
    allow_any_subject: "bool",
    scope: "[]string",
    expires_at: "time.Time",
    jwk: "json.RawMessage",
  });
  if (!decoded.ok) throw undecodableBody(decoded.message);
  const body = decoded.value;
  assertStorable(body);
  let jwk: Record<string, unknown> | null = null;
  if (body.jwk !== undefined && body.jwk !== null) {
    if (typeof body.jwk !== "object" || Array.isArray(body.jwk))
      throw undecodableBody("json: cannot unmarshal into Go value of type jose.rawJSONWebKey");
    jwk = body.jwk as Record<string, unknown>;
    const error = jwkDecodeError(jwk);
    if (error) throw undecodableBody(error);
  }
  const expires = typeof body.expires_at === "string" ? new Date(body.expires_at) : null;
  return {
    issuer: typeof body.issuer === "string" ? body.issuer : "",
    subject: typeof body.subject === "string" ? body.subject : "",
    allowAnySubject: body.allow_any_subject === true,
    scope: Array.isArray(body.scope) ? body.scope.map((item) => (typeof item === "string" ? item : "")) : null,
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
    const request = decodeCreateRequest(await readBody(req));
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
    const issuer = url.searchParams.get("issuer") ?? "";
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
