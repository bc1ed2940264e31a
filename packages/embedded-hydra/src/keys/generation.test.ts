import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHydraUnderTest, startTestPostgres, type TestPostgres } from "../testing/harness";
import { createPool, type Db } from "../storage/db";
import { runMigrations } from "../storage/migrations";
import { ACCESS_TOKEN_KEY_SET, generateJwk, ID_TOKEN_KEY_SET, KeyRepository, publicJwk, type PrivateJwk } from "./repository";

/**
 * The key sets Hydra v26.2 makes for itself: jwk/jwt_strategy.go getKeys
 * asks jwk/helper.go GetOrGenerateKeys for an RS256 key, which (under a
 * per-set lock) generates one with jwk/generate.go GenerateJWK — RSA-4096,
 * `use` "sig", a random UUID as kid — when the set is empty or holds no
 * private key.
 */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let pg: TestPostgres;
const pools: Db[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
});

afterAll(async () => {
  await Promise.all(pools.map((db) => db.close()));
  await pg?.stop();
});

let databases = 0;
async function freshDatabase(): Promise<Db> {
  const db = createPool(await pg.createDatabase(`hydra_keys_${process.pid}_${++databases}`));
  pools.push(db);
  await runMigrations(db.pool);
  return db;
}

function modulusBits(key: { n?: unknown }): number {
  return Buffer.from(String(key.n), "base64url").length * 8;
}

describe("a fresh start (GetOrGenerateKeys with RS256, GenerateJWK)", () => {
  it("generates one RSA-4096 RS256 signing key, kid a random UUID, in each of Hydra's two sets", async () => {
    // No pre-generated keys from the test harness: this is the production path.
    const hydra = await startHydraUnderTest(pg, { seedSigningKeys: false });
    try {
      const kids = new Set<string>();
      for (const set of [ID_TOKEN_KEY_SET, ACCESS_TOKEN_KEY_SET]) {
        const response = await fetch(new URL(`admin/keys/${set}`, hydra.adminUrl));
        const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
        expect(keys, set).toHaveLength(1);
        const [key] = keys;
        expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
        expect(key).toHaveProperty("d");
        expect(modulusBits(key ?? {}), set).toBe(4096);
        expect(String(key?.kid)).toMatch(UUID_V4);
        kids.add(String(key?.kid));
      }
      expect(kids.size).toBe(2);
    } finally {
      await hydra.close();
    }
  });
});

describe("generating at most once (GetOrGenerateKeys holds getLock(set) around reading and generating)", () => {
  function countingGenerator() {
    const calls: string[] = [];
    const generate = async (alg: string, kid: string, use: string): Promise<PrivateJwk> => {
      calls.push(alg);
      // A cheap key: this test is about how often, not how big.
      return generateJwk("ES256", kid, use);
    };
    return { calls, generate };
  }

  it("concurrent first uses in one process generate one key and all see it", async () => {
    const db = await freshDatabase();
    const { calls, generate } = countingGenerator();
    const keys = new KeyRepository(db, generate);
    const results = await Promise.all([keys.ensure(ID_TOKEN_KEY_SET), keys.ensure(ID_TOKEN_KEY_SET), keys.ensure(ID_TOKEN_KEY_SET)]);
    expect(calls).toEqual(["RS256"]);
    const stored = await keys.list(ID_TOKEN_KEY_SET);
    expect(stored).toHaveLength(1);
    for (const result of results) expect(result).toEqual(stored);
    // Once the set has its key nothing is generated again.
    await keys.ensure(ID_TOKEN_KEY_SET);
    expect(calls).toHaveLength(1);
  });

  it("two instances starting together on one database store one key", async () => {
    const db = await freshDatabase();
    const [a, b] = [countingGenerator(), countingGenerator()];
    await Promise.all([
      new KeyRepository(db, a.generate).ensure(ACCESS_TOKEN_KEY_SET),
      new KeyRepository(db, b.generate).ensure(ACCESS_TOKEN_KEY_SET),
    ]);
    expect(await new KeyRepository(db).list(ACCESS_TOKEN_KEY_SET)).toHaveLength(1);
  });

  it("a set holding only public keys gets a generated private key added (FindPrivateKey finds none)", async () => {
    const db = await freshDatabase();
    const keys = new KeyRepository(db, countingGenerator().generate);
    const imported = await generateJwk("ES256", "public-only", "sig");
    const publicOnly = { ...publicJwk(imported), kid: imported.kid, alg: imported.alg, use: imported.use, kty: imported.kty };
    await keys.add(ID_TOKEN_KEY_SET, [publicOnly]);
    const [newest, ...rest] = await keys.ensure(ID_TOKEN_KEY_SET);
    expect(newest).toHaveProperty("d");
    expect(newest?.kid).not.toBe("public-only");
    expect(rest.map((key) => key.kid)).toEqual(["public-only"]);
  });
});

describe("generation off the event loop", () => {
  it("an RSA-4096 key is made while the event loop keeps turning (crypto.generateKeyPair runs on the thread pool)", async () => {
    // Counted in event-loop turns, not milliseconds, so a loaded machine cannot fail it: a generation on the main
    // thread would hold the loop for its whole run, and the key would be there before a single turn came.
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    try {
      const key = await generateJwk("RS256", "", "");
      expect(modulusBits(key)).toBe(4096);
    } finally {
      spinning = false;
    }
    expect(turns).toBeGreaterThan(1);
  });
});
