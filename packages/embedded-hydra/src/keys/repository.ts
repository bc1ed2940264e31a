import { generateKeyPair, randomUUID, type JsonWebKey } from "node:crypto";
import { promisify } from "node:util";
import type { Db } from "../storage/db";
import { goJoseMarshal } from "./go-jose-marshal";

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

/**
 * The text Hydra stores for a key (persistence/sql/persister_jwk.go AddKey:
 * json.Marshal of the go-jose key): go-jose's members, encoding and order
 * (keys/go-jose-marshal.ts); jsonb keeps the members, not their order.
 */
const storedText = (jwk: PrivateJwk): string => JSON.stringify(goJoseMarshal(jwk));

/** A stored key as the persister decodes it again (SQLDataRows.ToJWK), with `kty`, `kid`, `alg` and `use` "" when absent. */
function fromStored(stored: Record<string, unknown>): PrivateJwk {
  const jwk = goJoseMarshal(stored);
  const text = (name: string) => (typeof jwk[name] === "string" ? jwk[name] : "");
  return { ...jwk, kty: text("kty"), kid: text("kid"), alg: text("alg"), use: text("use") };
}

/** Thrown for an algorithm Hydra's key generator (jwk/generate.go, josex.NewSigningKey) does not know. */
export class UnsupportedKeyAlgorithmError extends Error {}

/** Thrown when a set already holds a key with this id (Hydra's unique index on set and kid). */
export class KeyConflictError extends Error {}

/**
 * jwk/generate.go GenerateJWK: EC keys for ES256/384/512, Ed25519 for EdDSA,
 * RSA for RS* (4096 bits) and PS* (josex.NewSigningKey's default, 2048
 * bits). `kid` defaults to a random UUID, `use` to "sig". Node generates on
 * its thread pool, so a 4096-bit key (up to a second or so) does not hold
 * up the event loop.
 */
export async function generateJwk(alg: string, kid: string, use: string): Promise<PrivateJwk> {
  const keyId = kid || randomUUID();
  const keyUse = use || "sig";
  let jwk: JsonWebKey;
  if (alg === "ES256" || alg === "ES384" || alg === "ES512") {
    const namedCurve = alg === "ES256" ? "P-256" : alg === "ES384" ? "P-384" : "P-521";
    jwk = (await generateKeyPairAsync("ec", { namedCurve })).privateKey.export({ format: "jwk" });
  } else if (alg === "EdDSA") {
    jwk = (await generateKeyPairAsync("ed25519")).privateKey.export({ format: "jwk" });
  } else if (/^(RS|PS)(256|384|512)$/.test(alg)) {
    jwk = (await generateKeyPairAsync("rsa", { modulusLength: alg.startsWith("RS") ? 4096 : 2048 })).privateKey.export({
      format: "jwk",
    });
  } else {
    throw new UnsupportedKeyAlgorithmError(`unknown algorithm ${alg} for signing key`);
  }
  return { ...jwk, kty: String(jwk.kty), kid: keyId, alg, use: keyUse };
}

/** Makes a key as GenerateJWK does (alg, kid, use); tests swap in a cheaper one to count calls. */
export type KeyGenerator = (alg: string, kid: string, use: string) => Promise<PrivateJwk>;

/** go-jose's IsPublic is true only for RSA, EC and OKP public keys: anything else counts as private (FindPrivateKey). */
function isPrivateKey(jwk: PrivateJwk): boolean {
  return jwk.d !== undefined || jwk.kty === "oct";
}

/** The same test in SQL, over hydra_jwks.private_jwk. */
const HAS_PRIVATE_KEY = "EXISTS (SELECT 1 FROM hydra_jwks WHERE set_id = $1 AND (private_jwk ? 'd' OR private_jwk->>'kty' = 'oct'))";

/**
 * JSON Web Key sets as Hydra's JWK persister keeps them: keys are generated
 * by Node's crypto (never by hand), stored once and reused after restarts;
 * a set lists its newest key first, and that key signs.
 */
export class KeyRepository {
  /** The set being looked at or generated right now, per set (Hydra's getLock(set) in jwk/helper.go). */
  private readonly ensuring = new Map<string, Promise<PrivateJwk[]>>();

  constructor(
    private readonly db: Db,
    private readonly generate: KeyGenerator = generateJwk,
  ) {}

  /** Newest first. */
  async list(setId: string): Promise<PrivateJwk[]> {
    const result = await this.db.query<{ private_jwk: Record<string, unknown> }>(
      "SELECT private_jwk FROM hydra_jwks WHERE set_id = $1 ORDER BY pk DESC",
      [setId],
    );
    return result.rows.map((row) => fromStored(row.private_jwk));
  }

  async get(setId: string, kid: string): Promise<PrivateJwk | undefined> {
    const result = await this.db.query<{ private_jwk: Record<string, unknown> }>(
      "SELECT private_jwk FROM hydra_jwks WHERE set_id = $1 AND kid = $2",
      [setId, kid],
    );
    const row = result.rows[0];
    return row ? fromStored(row.private_jwk) : undefined;
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
          await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [setId, key.kid, storedText(key)]);
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
      await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [setId, key.kid, storedText(key)]);
    });
  }

  /** Hydra's UpdateKeySet: the set becomes exactly these keys. */
  async replaceSet(setId: string, keys: PrivateJwk[]): Promise<void> {
    try {
      await this.db.transaction(async (client) => {
        await client.query("DELETE FROM hydra_jwks WHERE set_id = $1", [setId]);
        for (const key of keys) {
          await client.query("INSERT INTO hydra_jwks (set_id, kid, private_jwk) VALUES ($1, $2, $3)", [setId, key.kid, storedText(key)]);
        }
      });
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw new KeyConflictError(`a key with this kid exists in ${setId}`);
      throw error;
    }
  }

  /**
   * jwk/helper.go GetOrGenerateKeys with RS256: the set, with a generated key
   * added first when it holds no private key (empty, or only public keys).
   * Concurrent calls for a set share one look-up and generation, as Hydra's
   * per-set lock serialises them; across instances on one database the
   * insert only happens while the set still lacks a private key, under an
   * advisory lock, so two starting together store one key.
   */
  ensure(setId: string): Promise<PrivateJwk[]> {
    const pending = this.ensuring.get(setId);
    if (pending) return pending;
    const run = this.getOrGenerate(setId).finally(() => this.ensuring.delete(setId));
    this.ensuring.set(setId, run);
    return run;
  }

  private async getOrGenerate(setId: string): Promise<PrivateJwk[]> {
    const existing = await this.list(setId);
    if (existing.some(isPrivateKey)) return existing;
    const jwk = await this.generate("RS256", "", "sig");
    await this.db.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hydra_jwks:${setId}`]);
      await client.query(
        `INSERT INTO hydra_jwks (set_id, kid, private_jwk)
         SELECT $1, $2, $3 WHERE NOT ${HAS_PRIVATE_KEY}`,
        [setId, jwk.kid, storedText(jwk)],
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
