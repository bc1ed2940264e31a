import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readForm } from "../http";
import type { AdminRouter } from "./router";

interface FoundToken {
  use: "access_token" | "refresh_token";
  clientId: string;
  subject: string;
  scope: string;
  iat: number;
  exp: number;
  grantId?: string;
}

interface TokenLike {
  clientId?: string | undefined;
  accountId?: string | undefined;
  scope?: string | undefined;
  iat?: number | undefined;
  exp?: number | undefined;
  grantId?: string | undefined;
  isExpired: boolean;
}

function describe(use: FoundToken["use"], token: TokenLike, subject?: string): FoundToken {
  const clientId = token.clientId ?? "";
  return {
    use,
    clientId,
    subject: subject ?? token.accountId ?? clientId,
    scope: token.scope ?? "",
    iat: token.iat ?? 0,
    exp: token.exp ?? 0,
    ...(token.grantId ? { grantId: token.grantId } : {}),
  };
}

/** Looks the value up as each of oidc-provider's token kinds (models verify expiry themselves). */
async function findToken(hctx: HydraContext, value: string): Promise<FoundToken | undefined> {
  const provider = hctx.provider();
  // One indexed lookup says which model to ask; the model then verifies the token itself.
  const kind = await hctx.db.query<{ model: string }>(
    "SELECT model FROM oidc_payloads WHERE id = $1 AND model IN ('AccessToken', 'ClientCredentials', 'RefreshToken') LIMIT 1",
    [value],
  );
  switch (kind.rows[0]?.model) {
    case "AccessToken": {
      const access = await provider.AccessToken.find(value);
      return access && !access.isExpired ? describe("access_token", access) : undefined;
    }
    case "ClientCredentials": {
      const credentials = await provider.ClientCredentials.find(value);
      return credentials && !credentials.isExpired ? describe("access_token", credentials, credentials.clientId) : undefined;
    }
    case "RefreshToken": {
      const refresh = await provider.RefreshToken.find(value);
      return refresh && !refresh.isExpired && !refresh.consumed ? describe("refresh_token", refresh) : undefined;
    }
    default:
      return undefined;
  }
}

/** POST /admin/oauth2/introspect: RFC 7662 with Hydra's fields; callers are trusted (admin port). */
export function registerIntrospectionRoutes(router: AdminRouter, hctx: HydraContext): void {
  router.add("POST", "/admin/oauth2/introspect", async ({ req, res }) => {
    const form = await readForm(req);
    const value = form.get("token");
    if (!value) throw HydraError.badRequest('The form parameter "token" is required');
    const token = await findToken(hctx, value);
    const required = (form.get("scope") ?? "").split(" ").filter(Boolean);
    const granted = new Set(token?.scope.split(" ").filter(Boolean));
    if (!token || (await hctx.clients.get(token.clientId)) === undefined || !required.every((scope) => granted.has(scope))) {
      sendJson(res, 200, { active: false });
      return;
    }
    const consent = token.grantId ? await hctx.sessions.consentByGrant(token.grantId) : undefined;
    if (token.grantId && !consent) {
      sendJson(res, 200, { active: false });
      return;
    }
    sendJson(res, 200, {
      active: true,
      sub: token.subject,
      client_id: token.clientId,
      scope: token.scope,
      exp: token.exp,
      iat: token.iat,
      nbf: token.iat,
      aud: consent?.grantAudience ?? [],
      iss: hctx.issuer,
      token_type: "Bearer",
      token_use: token.use,
      ext: consent?.session.access_token ?? {},
    });
  });
}
