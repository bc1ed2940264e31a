import bcrypt from "bcryptjs";
import { argon2id } from "hash-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORE_STRATEGIES,
  startKratos,
  startTestPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../testing/harness";
import { expectFailure } from "../testing/flow-json";

/** Small argon2id parameters keep the test fast; what matters is that they are the configured ones. */
const argon2Config = (iterations: number) => ({ hashers: { algorithm: "argon2", argon2: { memory: "1MB", iterations, parallelism: 1 } } });
const BCRYPT_COST_4 = { hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } } };

/**
 * `hashers.algorithm: argon2` end to end: sign-up and login hash with
 * argon2id; a login re-hashes a password whose hash was made with another
 * algorithm (imported or configured before) and keeps one of the configured
 * algorithm made with other parameters, as Kratos does. The three instances share one database, like restarts
 * with a changed config.
 */
describe("argon2id as the configured hasher", () => {
  let pg: TestPostgres;
  const database = "ciam_argon2";
  const email = uniqueEmail("argon2");
  let identityId = "";

  beforeAll(async () => {
    pg = await startTestPostgres();
    await pg.createDatabase(database);
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function withKratos(overrides: Record<string, unknown>, run: (kratos: TestKratos) => Promise<void>): Promise<void> {
    const kratos = await startKratos(pg, database, { existingDatabase: true, strategies: CORE_STRATEGIES, configOverrides: overrides });
    try {
      await run(kratos);
    } finally {
      await kratos.close();
    }
  }

  const storedHash = async (kratos: TestKratos, id: string) => {
    const { data } = await kratos.identity.getIdentity({ id, includeCredential: ["password"] });
    return (data.credentials?.password?.config as { hashed_password: string }).hashed_password;
  };

  const login = async (kratos: TestKratos, identifier: string, password: string) => {
    const { data: flow } = await kratos.frontend.createNativeLoginFlow();
    return kratos.frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: { method: "password", identifier, password } });
  };

  it("registers and logs in with argon2id hashes made with the configured parameters", async () => {
    await withKratos(argon2Config(1), async (kratos) => {
      const { data: flow } = await kratos.frontend.createNativeRegistrationFlow();
      const { data } = await kratos.frontend.updateRegistrationFlow({
        flow: flow.id,
        updateRegistrationFlowBody: { method: "password", password: STRONG_PASSWORD, traits: { email } },
      });
      identityId = data.identity.id;
      expect(await storedHash(kratos, identityId)).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      expect((await login(kratos, email, STRONG_PASSWORD)).status).toBe(200);
      expect((await expectFailure(login(kratos, email, "not-the-password-1"))).status).toBe(400);
    });
  });

  // selfservice/strategy/password/login.go (Login): only a hash the configured hasher does not
  // Understand (hash/hasher_argon2.go: the $argon2id$ prefix) is migrated; other parameters are kept.
  it("keeps an argon2id hash made with other parameters when the argon2 parameters change", async () => {
    await withKratos(argon2Config(2), async (kratos) => {
      expect(await storedHash(kratos, identityId)).toMatch(/\$m=1024,t=1,p=1\$/);
      expect((await login(kratos, email, STRONG_PASSWORD)).status).toBe(200);
      expect(await storedHash(kratos, identityId)).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      expect((await login(kratos, email, STRONG_PASSWORD)).status).toBe(200);
    });
  });

  it("upgrades an imported bcrypt hash to argon2id on login", async () => {
    await withKratos(argon2Config(2), async (kratos) => {
      const imported = uniqueEmail("bcrypt-import");
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email: imported },
          credentials: { password: { config: { hashed_password: bcrypt.hashSync("imported-secret-1", 4) } } },
        },
      });
      expect((await login(kratos, imported, "imported-secret-1")).status).toBe(200);
      // Migrated before the login answers (login.go, migratePasswordHash runs inside the submission).
      expect(await storedHash(kratos, data.id)).toMatch(/^\$argon2id\$v=19\$m=1024,t=2,p=1\$/);
      expect((await login(kratos, imported, "imported-secret-1")).status).toBe(200);
    });
  });

  it("upgrades argon2id hashes (imported or from before) to bcrypt when the domain switches back", async () => {
    await withKratos(BCRYPT_COST_4, async (kratos) => {
      const imported = uniqueEmail("argon2-import");
      const hash = await argon2id({
        password: "argon-secret-1",
        salt: "saltsaltsaltsalt",
        parallelism: 1,
        iterations: 3,
        memorySize: 64,
        hashLength: 32,
        outputType: "encoded",
      });
      const { data } = await kratos.identity.createIdentity({
        createIdentityBody: {
          schema_id: "default",
          traits: { email: imported },
          credentials: { password: { config: { hashed_password: hash } } },
        },
      });
      for (const [id, identifier, password] of [
        [data.id, imported, "argon-secret-1"],
        [identityId, email, STRONG_PASSWORD],
      ] as const) {
        expect(await storedHash(kratos, id)).toMatch(/^\$argon2id\$/);
        expect((await login(kratos, identifier, password)).status).toBe(200);
        expect(await storedHash(kratos, id)).toMatch(/^\$2[ab]\$04\$/);
        expect((await login(kratos, identifier, password)).status).toBe(200);
      }
    });
  });
});
