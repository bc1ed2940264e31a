import { createPrivateKey, createPublicKey, type JsonWebKey } from "node:crypto";
import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { readBody } from "../http";
import { assertStorable } from "../storable";
import {
  ACCESS_TOKEN_KEY_SET,
  generateJwk,
  ID_TOKEN_KEY_SET,
  KeyConflictError,
  UnsupportedKeyAlgorithmError,
  type PrivateJwk,
} from "../keys/repository";
import { decodeGoJson } from "./go-json";
import type { AdminRouter } from "./router";

/** jwk/manager.go ErrUnsupportedKeyAlgorithm. */
const unsupportedAlgorithm = () => new HydraError(400, "Bad Request", "Unsupported key algorithm");

function undecodable(message: string): HydraError {
  return HydraError.malformed(`Unable to decode the request body: ${message}`);
}

function parseBody(text: string): unknown {
  if (!text.trim()) throw undecodable("EOF");
  try {
    const value = JSON.parse(text) as unknown;
    assertStorable(value);
    return value;
  } catch (error) {
    if (error instanceof HydraError) throw error;
    throw undecodable("unexpected EOF");
  }
}

/**
 * A JSON Web Key as go-jose's JSONWebKey.UnmarshalJSON accepts it: a known
 * key type whose members make a usable key (checked by Node's crypto).
 */
function decodeJwk(value: unknown): PrivateJwk {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw undecodable("json: cannot unmarshal into Go value of type jose.JSONWebKey");
  const jwk = value as JsonWebKey & { kid?: unknown; alg?: unknown; use?: unknown };
  if (!["RSA", "EC", "OKP", "oct"].includes(String(jwk.kty)))
    throw undecodable(`go-jose/go-jose: unknown json web key type '${String(jwk.kty ?? "")}'`);
  if (jwk.kty !== "oct") {
    try {
      if (jwk.d) createPrivateKey({ key: jwk, format: "jwk" });
      else createPublicKey({ key: jwk, format: "jwk" });
    } catch {
      throw undecodable(`go-jose/go-jose: invalid ${String(jwk.kty)} key, missing or invalid values`);
    }
  }
  return {
    ...jwk,
    kty: String(jwk.kty),
    kid: typeof jwk.kid === "string" ? jwk.kid : "",
    alg: typeof jwk.alg === "string" ? jwk.alg : "",
    use: typeof jwk.use === "string" ? jwk.use : "",
  };
}

/** The signing keys oidc-provider holds come from these sets: a change there replaces the provider. */
async function afterChange(deps: Deps, setId: string): Promise<void> {
  if (setId === ID_TOKEN_KEY_SET || setId === ACCESS_TOKEN_KEY_SET) await deps.reloadProvider();
}

/**
 * Hydra's JWK admin API (jwk/handler.go) over jwk/manager.go's semantics:
 * keys are returned with their private parts (ExcludeOpaquePrivateKeys only
 * hides HSM keys), creating a key adds it to the set (it then signs),
 * deleting is 204 whether or not there was anything to delete. Emptying a
 * set that signs ID tokens or access tokens makes a new key appear in it,
 * as Hydra generates one when it next needs one.
 */
export function registerKeyRoutes(router: AdminRouter, deps: Deps): void {
  router.add("GET", "/admin/keys/:set", async ({ params, res }) => {
    const keys = await deps.keys.list(params.set ?? "");
    if (keys.length === 0) throw HydraError.notFound();
    sendJson(res, 200, { keys });
  });

  router.add("GET", "/admin/keys/:set/:kid", async ({ params, res }) => {
    const key = await deps.keys.get(params.set ?? "", params.kid ?? "");
    if (!key) throw HydraError.noRows();
    sendJson(res, 200, { keys: [key] });
  });

  router.add("POST", "/admin/keys/:set", async ({ req, params, res }) => {
    const decoded = decodeGoJson(await readBody(req), "jwk.createJsonWebKeySetBody", { alg: "string", use: "string", kid: "string" });
    if (!decoded.ok) throw undecodable(decoded.message);
    assertStorable(decoded.value);
    const text = (name: string) => (typeof decoded.value[name] === "string" ? decoded.value[name] : "");
    const setId = params.set ?? "";
    let key: PrivateJwk;
    try {
      key = await generateJwk(text("alg"), text("kid"), text("use"));
    } catch (error) {
      if (error instanceof UnsupportedKeyAlgorithmError) throw unsupportedAlgorithm();
      throw error;
    }
    try {
      await deps.keys.add(setId, [key]);
    } catch (error) {
      if (error instanceof KeyConflictError) throw HydraError.uniqueViolation();
      throw error;
    }
    await afterChange(deps, setId);
    res.setHeader("location", `${deps.issuer}keys/${encodeURIComponent(setId)}`);
    sendJson(res, 201, { keys: [key] });
  });

  router.add("PUT", "/admin/keys/:set/:kid", async ({ req, params, res }) => {
    const key = decodeJwk(parseBody(await readBody(req)));
    const setId = params.set ?? "";
    await deps.keys.replaceKey(setId, key);
    await afterChange(deps, setId);
    sendJson(res, 200, key);
  });

  router.add("PUT", "/admin/keys/:set", async ({ req, params, res }) => {
    const body = parseBody(await readBody(req));
    const rawKeys: unknown = typeof body === "object" && body !== null && !Array.isArray(body) ? Reflect.get(body, "keys") : undefined;
    if (rawKeys !== undefined && rawKeys !== null && !Array.isArray(rawKeys))
      throw undecodable("json: cannot unmarshal into Go struct field JSONWebKeySet.keys of type []jose.JSONWebKey");
    const keys = (Array.isArray(rawKeys) ? rawKeys : []).map(decodeJwk);
    const setId = params.set ?? "";
    try {
      await deps.keys.replaceSet(setId, keys);
    } catch (error) {
      if (error instanceof KeyConflictError) throw HydraError.uniqueViolation();
      throw error;
    }
    await afterChange(deps, setId);
    sendJson(res, 200, { keys });
  });

  router.add("DELETE", "/admin/keys/:set/:kid", async ({ params, res }) => {
    const setId = params.set ?? "";
    await deps.keys.deleteKey(setId, params.kid ?? "");
    await afterChange(deps, setId);
    res.writeHead(204).end();
  });

  router.add("DELETE", "/admin/keys/:set", async ({ params, res }) => {
    const setId = params.set ?? "";
    await deps.keys.deleteSet(setId);
    await afterChange(deps, setId);
    res.writeHead(204).end();
  });
}
