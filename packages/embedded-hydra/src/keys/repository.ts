import { generateKeyPair, randomUUID, type JsonWebKey } from "node:crypto";
import { promisify } from "node:util";
import type { Db } from "../storage/db";

const generateKeyPairAsync = promisify(generateKeyPair);

/** Hydra's key sets for ID tokens and JWT access tokens (x.OpenIDConnectKeyName, x.OAuth2JWTKeyName). */
export const ID_TOKEN_KEY_SET = "hydra.openid.id-token";
export const ACCESS_TOKEN_KEY_SET = "hydra.jwt.access-token";

export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: string; kty: string };

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Strips private members so a key can be published (Hydra's ExcludePrivateKeys). */
export function publicJwk(jwk: PrivateJwk): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy;
}

/** Thrown for an algorithm Hydra's key generator (jwk/generate.go, josex.NewSigningKey) does not know. */
export class UnsupportedKeyAlgorithmError extends Error {}

/** Thrown when a set already holds a key with this id (Hydra's unique index on set and kid). */
export class KeyConflictError extends Error {}

/**
 * jwk/generate.go GenerateJWK: EC keys for ES256/384/512, Ed25519 for EdDSA,
 * RSA for RS* and PS* (4096 bits for RS*, as Hydra; `rsaBits` lowers it for
 * the sets generated at start-up). `use` defaults to "sig".
 */
export async function generateJwk(alg: string, kid: string, use: string, rsaBits = 4096): Promise<PrivateJwk> {
  const keyId = kid || randomUUID();
  const keyUse = use || "sig";
  let jwk: JsonWebKey;
  if (alg === "ES256" || alg === "ES384" || alg === "ES512") {
    const namedCurve = alg === "ES256" ? "P-256" : alg === "ES384" ? "P-384" : "P-521";
    jwk = (await generateKeyPairAsync("ec", { namedCurve })).privateKey.export({ format: "jwk" });
  } else if (alg === "EdDSA") {
    jwk = (await generateKeyPairAsync("ed25519")).privateKey.export({ format: "jwk" });
  } else if (/^(RS|PS)(256|384|512)$/.test(alg)) {
    jwk = (await generateKeyPairAsync("rsa", { modulusLength: alg.startsWith("RS") ? rsaBits : 2048 })).privateKey.export({
      format: "jwk",
    });
  } else {
    throw new UnsupportedKeyAlgorithmError(`unknown algorithm ${alg} for signing key`);
  }
  return { ...jwk, kty: String(jwk.kty), kid: keyId, alg, use: keyUse };
}

/**
 * JSON Web Key sets as Hydra's JWK persister keeps them: keys are generated
 * by Node's crypto (never by hand), stored once and reused after restarts;
 * a set lists its newest key first, and that key signs.
 */
export class KeyRepository {
  constructor(private readonly db: Db) {}

  /** Newest first. */
  async list(setId: string): Promise<PrivateJwk[]> {
    const result = await this.db.query<{ private_jwk: PrivateJwk }>(
      "SELECT private_jwk FROM hydra_jwks WHERE set_id = $1 ORDER BY pk DESC",
      [setId],
    );
    return result.rows.map((row) => row.private_jwk);
  }

  async get(setId: string, kid: string): Promise<PrivateJwk | undefined> {
    const result = await this.db.query<{ private_jwk: PrivateJwk }>("SELECT private_jwk FROM hydra_jwks WHERE set_id = $1 AND kid = $2", [
      setId,
      kid,
    ]);
    return result.rows[0]?.private_jwk;
  }

  async listSets(): Promise<string[]> {
    const result = await this.db.query<{ set_id: string }>("SELECT DISTINCT set_id FROM hydra_jwks ORDER BY set_id");
    return result.rows.map((row) => row.set_id);
  }

  /** Adds keys to a set in one transaction (Hydra's AddKeySet); a kid the set holds already is a conflict. */
  async add(setId: string, keys: PrivateJwk[]): Promise<void> {
    try {
      await this.db.transaction(async (client) => {
        for (const key of keys) {
          await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [
            setId,
            key.kid,
            JSON.stringify(key),
          ]);
        }
      });
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new KeyConflictError(`a key with this kid exists in ${setId}`);
      throw error;
    }
  }

  /** Hydra's UpdateKey: the key with this kid is replaced (or added). */
  async replaceKey(setId: string, key: PrivateJwk): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query("DELETE FROM hydra_jwks WHERE set_id = $1 AND kid = $2", [setId, key.kid]);
      await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [setId, key.kid, JSON.stringify(key)]);
    });
  }

  /** Hydra's UpdateKeySet: the set becomes exactly these keys. */
  async replaceSet(setId: string, keys: PrivateJwk[]): Promise<void> {
    try {
      await this.db.transaction(async (client) => {
        await client.query("DELETE FROM hydra_jwks WHERE set_id = $1", [setId]);
        for (const key of keys) {
          await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [
            setId,
            key.kid,
            JSON.stringify(key),
          ]);
        }
      });
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new KeyConflictError(`a key with this kid exists in ${setId}`);
      throw error;
    }
  }

  /** Returns the set, generating its first RS256 key if it is empty (safe across concurrent starts). */
  async ensure(setId: string): Promise<PrivateJwk[]> {
    const existing = await this.list(setId);
    if (existing.length > 0) return existing;
    // 2048 bits, not Hydra's 4096: every test and dev start-up generates these (README, "Known differences").
    const jwk = await generateJwk("RS256", "", "sig", 2048);
    await this.db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hydra_jwks:${setId}`]);
      await client.query(
        `INSERT INTO hydra_jwks (set_id, kid, private_jwk)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM hydra_jwks WHERE set_id = $1)`,
        [setId, jwk.kid, JSON.stringify(jwk)],
      );
    });
    return this.list(setId);
  }

  async deleteKey(setId: string, kid: string): Promise<void> {
    await this.db.query("DELETE FROM hydra_jwks WHERE set_id = $1 AND kid = $2", [setId, kid]);
  }

  async deleteSet(setId: string): Promise<void> {
    await this.db.query("DELETE FROM hydra_jwks WHERE set_id = $1", [setId]);
  }
}
