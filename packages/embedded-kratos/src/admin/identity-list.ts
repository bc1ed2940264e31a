import type { Deps } from "../deps";
import type { HttpContext } from "../http/context";
import { adminIdentityJson } from "../session/json";
import { adminErrors } from "./errors";
import { parseUuid } from "@olympus/server-kit/go-json";
import { goQuery } from "./go-query";
import { parseKeysetOrPagePagination, setKeysetLinkHeader, setPageLinkHeader, type IdentityPagination } from "./pagination";

/** identity/credentials.go ParseCredentialsType: the values `include_credential` accepts. */
export const CREDENTIAL_TYPES = new Set([
  "password",
  "oidc",
  "saml",
  "totp",
  "lookup_secret",
  "webauthn",
  "code",
  "link_recovery",
  "code_recovery",
  "passkey",
]);

const MAX_IDS = 500;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";
/** The identity persister's page sizes: default 250, and keyset pagination's own ceiling of 500. */
const DEFAULT_PAGE_SIZE = 250;
const MAX_PAGE_SIZE = 500;

interface ListParameters {
  ids: string[];
  organizationId?: string;
  credentialsIdentifier?: string;
  credentialsIdentifierSimilar?: string;
  declassify: Set<string>;
  withCredentials: boolean;
  pagination: IdentityPagination;
}

/**
 * identity/handler.go parseListIdentitiesParameters: UUIDs checked, at most
 * 500 ids, credential types checked, and at most one of the filters `ids`,
 * `organization_id`, `credentials_identifier`,
 * `preview_credentials_identifier_similar`. `consistency` only matters to
 * CockroachDB and is accepted whatever its value, as in Kratos.
 */
export function parseListParameters(query: URLSearchParams): ListParameters {
  let filters = 0;
  const ids: string[] = [];
  const rawIds = query.getAll("ids");
  if (rawIds.length > 0) {
    filters++;
    for (const v of rawIds) {
      const id = parseUuid(v);
      if (id === undefined) throw adminErrors.badRequest(`Invalid UUID value \`${v}\` for parameter \`ids\`.`);
      ids.push(id);
    }
  }
  if (ids.length > MAX_IDS) throw adminErrors.badRequest(`The number of ids to filter must not exceed ${MAX_IDS}.`);

  let organizationId: string | undefined;
  const org = query.get("organization_id") ?? "";
  if (org !== "") {
    filters++;
    organizationId = parseUuid(org);
    if (organizationId === undefined) throw adminErrors.badRequest(`Invalid UUID value \`${org}\` for parameter \`organization_id\`.`);
  }

  let withCredentials = false;
  const exact = query.get("credentials_identifier") ?? "";
  if (exact !== "") {
    filters++;
    withCredentials = true;
  }
  const similar = query.get("preview_credentials_identifier_similar") ?? "";
  if (similar !== "") {
    filters++;
    withCredentials = true;
  }

  const declassify = new Set<string>();
  for (const v of query.getAll("include_credential")) {
    withCredentials = true;
    if (!CREDENTIAL_TYPES.has(v)) throw adminErrors.badRequest(`Invalid value \`${v}\` for parameter \`include_credential\`.`);
    declassify.add(v);
  }

  if (filters > 1) throw adminErrors.badRequest("You cannot combine multiple filters in this API");

  return {
    ids,
    organizationId,
    credentialsIdentifier: exact || undefined,
    credentialsIdentifierSimilar: similar || undefined,
    declassify,
    withCredentials,
    pagination: parseKeysetOrPagePagination(query),
  };
}

/** GET /admin/identities (identity/handler.go list, persister ListIdentities). */
export async function listIdentities(deps: Deps, ctx: HttpContext): Promise<void> {
  const query = goQuery(ctx);
  const params = parseListParameters(query);
  const filters = {
    ids: params.ids,
    organizationId: params.organizationId,
    credentialsIdentifier: params.credentialsIdentifier,
    credentialsIdentifierPrefix: params.credentialsIdentifierSimilar,
    withCredentials: params.withCredentials,
  };
  const { pagination } = params;

  if (pagination.kind === "page") {
    const page = await deps.identityRepository.list({
      ...filters,
      pageSize: pagination.perPage,
      offset: pagination.page * pagination.perPage,
    });
    // Kratos counts every identity unless an exact identifier was asked for.
    const total = params.credentialsIdentifier === undefined ? await deps.identityRepository.count() : page.length;
    setPageLinkHeader(ctx, ctx.path, query, total, pagination.page, pagination.perPage);
    ctx.json(
      200,
      page.map((i) => adminIdentityJson(deps, i, params.declassify)),
    );
    return;
  }

  // ListIdentities: gofrs' uuid.FromString must read the token, which then goes to Postgres as given; Postgres
  // refuses the `urn:uuid:` form (a 500 in Kratos), so that form is the same 400 here.
  const rawToken = pagination.token ?? NIL_UUID;
  const token = rawToken.startsWith("urn:") ? undefined : parseUuid(rawToken);
  if (token === undefined) throw adminErrors.badRequest("The page token is invalid, do not craft your own page tokens");
  const size = Math.min(pagination.size !== undefined && pagination.size > 0 ? pagination.size : DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const rows = await deps.identityRepository.list({ ...filters, pageSize: size + 1, after: token });
  const page = rows.slice(0, size);
  const next = rows.length > size ? page[page.length - 1]?.id : undefined;
  setKeysetLinkHeader(ctx, ctx.path, query, size, NIL_UUID, next);
  ctx.json(
    200,
    page.map((i) => adminIdentityJson(deps, i, params.declassify)),
  );
}
