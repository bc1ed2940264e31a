import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { readDecoderBody } from "../http";
import { assertStorable } from "../storable";
import {
  ACCESS_TOKEN_KEY_SET,
  generateJwk,
  ID_TOKEN_KEY_SET,
  KeyConflictError,
  UnsupportedKeyAlgorithmError,
  type PrivateJwk,
} from "../keys/repository";
import { decodeGoJson, decodeGoJsonValue, type GoStruct } from "./go-json";
import { CREATE_JSON_WEB_KEY_SET_BODY } from "./go-structs";
import { joseJsonWebKey } from "../keys/jose-json";
import { goJoseMarshal } from "../keys/go-jose-marshal";
import type { AdminRouter } from "./router";

/** jwk/manager.go ErrUnsupportedKeyAlgorithm. */
const unsupportedAlgorithm = () => new HydraError(400, "Bad Request", "Unsupported key algorithm");

function undecodable(message: string): HydraError {
  return HydraError.malformed(`Unable to decode the request body: ${message}`);
}

/** jose.JSONWebKey as go-jose's UnmarshalJSON reads it (keys/jose-json.ts): its type and members checked. */
const JSON_WEB_KEY = joseJsonWebKey();

/** jose.JSONWebKeySet: the body of PUT /admin/keys/{set}. */
const JSON_WEB_KEY_SET: GoStruct = {
  kind: "struct",
  name: "jose.JSONWebKeySet",
  fields: { keys: { kind: "slice", name: "[]jose.JSONWebKey", elem: JSON_WEB_KEY } },
};

/** A key go-jose accepted (in go-jose's marshalled form), with `kid`, `alg` and `use` as strings in memory (empty when absent). */
function toPrivateJwk(value: unknown): PrivateJwk {
  const jwk: Record<string, unknown> = typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
  const text = (name: string) => (typeof jwk[name] === "string" ? jwk[name] : "");
  return { ...jwk, kty: text("kty"), kid: text("kid"), alg: text("alg"), use: text("use") };
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
 * as Hydra generates one when it next needs one. Every key is answered as
 * go-jose marshals it (keys/go-jose-marshal.ts), as Hydra writes the
 * jose.JSONWebKey(Set) it decoded or read back.
 */
export function registerKeyRoutes(router: AdminRouter, deps: Deps): void {
  router.add("GET", "/admin/keys/:set", async ({ params, res }) => {
    const keys = await deps.keys.list(params.set ?? "");
    if (keys.length === 0) throw HydraError.notFound();
    sendJson(res, 200, { keys: keys.map(goJoseMarshal) });
  });

  router.add("GET", "/admin/keys/:set/:kid", async ({ params, res }) => {
    const key = await deps.keys.get(params.set ?? "", params.kid ?? "");
    if (!key) throw HydraError.noRows();
    sendJson(res, 200, { keys: [goJoseMarshal(key)] });
  });

  router.add("POST", "/admin/keys/:set", async ({ req, params, res }) => {
    const decoded = decodeGoJson(await readDecoderBody(req, undecodable), CREATE_JSON_WEB_KEY_SET_BODY);
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
    sendJson(res, 201, { keys: [goJoseMarshal(key)] });
  });

  router.add("PUT", "/admin/keys/:set/:kid", async ({ req, params, res }) => {
    const decoded = decodeGoJsonValue(await readDecoderBody(req, undecodable), JSON_WEB_KEY);
    if (!decoded.ok) throw undecodable(decoded.message);
    assertStorable(decoded.value);
    const key = toPrivateJwk(decoded.value);
    const setId = params.set ?? "";
    await deps.keys.replaceKey(setId, key);
    await afterChange(deps, setId);
    sendJson(res, 200, goJoseMarshal(key));
  });

  router.add("PUT", "/admin/keys/:set", async ({ req, params, res }) => {
    const decoded = decodeGoJson(await readDecoderBody(req, undecodable), JSON_WEB_KEY_SET);
    if (!decoded.ok) throw undecodable(decoded.message);
    assertStorable(decoded.value);
    const keys = (Array.isArray(decoded.value.keys) ? decoded.value.keys : []).map(toPrivateJwk);
    const setId = params.set ?? "";
    try {
      await deps.keys.replaceSet(setId, keys);
    } catch (error) {
      if (error instanceof KeyConflictError) throw HydraError.uniqueViolation();
      throw error;
    }
    await afterChange(deps, setId);
    sendJson(res, 200, { keys: keys.map(goJoseMarshal) });
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
