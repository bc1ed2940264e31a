import type { IncomingMessage } from "node:http";
import type { StoredClient } from "../clients/model";
import { verifyClientSecret } from "../clients/secret-hash";
import type { Deps } from "../deps";
import { fositeHydraError } from "../fosite-errors";
import { authMethodMismatchHint } from "../provider/token-errors";
import { authenticateWithAssertion, CLIENT_ASSERTION_TYPE } from "./client-assertion";

const CREDENTIALS_MISSING = "Client credentials missing or malformed in both HTTP Authorization header and HTTP POST body.";

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  // RFC 6749 2.3.1: both halves are form-encoded.
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
  try {
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

async function secretMatches(client: StoredClient, secret: string): Promise<boolean> {
  return Boolean(client.secretHash) && (await verifyClientSecret(secret, client.secretHash ?? ""));
}

/** The authenticated client; `assertionKey` is the public key that verified its `private_key_jwt` assertion. */
export interface AuthenticatedClient {
  client: StoredClient;
  assertionKey?: Record<string, unknown>;
}

/**
 * fosite's AuthenticateClient (client_authentication.go
 * DefaultClientAuthenticationStrategy), for the device authorization
 * endpoint and, when a request carries a client assertion, the token and
 * revocation endpoints: `private_key_jwt` (client-assertion.ts; with the key
 * that verified the assertion), `client_secret_basic`, `client_secret_post`
 * and `none`; each client only with the method it registered.
 */
export async function authenticateClient(deps: Deps, req: IncomingMessage, form: URLSearchParams): Promise<AuthenticatedClient> {
  const assertionType = form.get("client_assertion_type") ?? "";
  if (assertionType === CLIENT_ASSERTION_TYPE) {
    const asserted = await authenticateWithAssertion(deps, form);
    return { client: asserted.client, assertionKey: asserted.key };
  }
  if (assertionType !== "") throw fositeHydraError("invalid_request", `Unknown client_assertion_type '${assertionType}'.`);
  const basic = basicCredentials(req);
  if (req.headers.authorization !== undefined && !basic) throw fositeHydraError("invalid_request", CREDENTIALS_MISSING);
  const id = basic?.id ?? form.get("client_id") ?? "";
  if (!id) throw fositeHydraError("invalid_request", CREDENTIALS_MISSING);
  const client = await deps.clients.get(id);
  if (!client) throw fositeHydraError("invalid_client");
  const registered = client.data.token_endpoint_auth_method || "client_secret_basic";
  const used = basic ? "client_secret_basic" : form.has("client_secret") ? "client_secret_post" : "none";
  if (used !== registered) throw fositeHydraError("invalid_client", authMethodMismatchHint(registered, used));
  if (used === "none") return { client };
  const secret = basic?.secret ?? form.get("client_secret") ?? "";
  if (!(await secretMatches(client, secret))) throw fositeHydraError("invalid_client");
  return { client };
}

export async function authenticateDeviceClient(deps: Deps, req: IncomingMessage, form: URLSearchParams): Promise<StoredClient> {
  return (await authenticateClient(deps, req, form)).client;
}
