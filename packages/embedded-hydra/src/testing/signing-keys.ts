import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ACCESS_TOKEN_KEY_SET, generateJwk, ID_TOKEN_KEY_SET, KeyRepository, type PrivateJwk } from "../keys/repository";
import { createPool } from "../storage/db";
import { runMigrations } from "../storage/migrations";

/**
 * Every test stack starts on a fresh database, where the server would
 * generate its two RSA-4096 signing keys as Hydra does (about a second of
 * CPU per start). Tests get keys generated once instead: by the global setup
 * for the whole run (handed to the workers in this environment variable),
 * else once per process. Each stack gets its own key ids; only the key
 * material is shared. src/keys/generation.test.ts starts without them.
 */
export const TEST_SIGNING_KEYS_ENV = "EMBEDDED_HYDRA_TEST_SIGNING_KEYS";

const materialSchema = z.object({
  idToken: z.looseObject({
    kty: z.literal("RSA"),
    n: z.string(),
    d: z.string(),
    kid: z.string(),
    alg: z.literal("RS256"),
    use: z.string(),
  }),
  accessToken: z.looseObject({
    kty: z.literal("RSA"),
    n: z.string(),
    d: z.string(),
    kid: z.string(),
    alg: z.literal("RS256"),
    use: z.string(),
  }),
});

type SigningKeyMaterial = { idToken: PrivateJwk; accessToken: PrivateJwk };

/** Two keys exactly as the server would make them for its sets (GenerateJWK: RS256, 4096 bits, use "sig"). */
export async function generateSigningKeyMaterial(): Promise<SigningKeyMaterial> {
  const [idToken, accessToken] = await Promise.all([generateJwk("RS256", "", "sig"), generateJwk("RS256", "", "sig")]);
  return { idToken, accessToken };
}

let generated: Promise<SigningKeyMaterial> | undefined;

function signingKeyMaterial(): Promise<SigningKeyMaterial> {
  const handed = process.env[TEST_SIGNING_KEYS_ENV];
  if (handed) {
    const parsed = z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "not JSON" });
          return z.NEVER;
        }
      })
      .pipe(materialSchema)
      .safeParse(handed);
    // Anything else in the variable: generate here instead.
    if (parsed.success) return Promise.resolve(parsed.data);
  }
  generated ??= generateSigningKeyMaterial();
  return generated;
}

/** Migrates a fresh database and stores the pre-generated keys in both sets under new key ids. */
export async function seedSigningKeys(dsn: string): Promise<void> {
  const material = await signingKeyMaterial();
  const db = createPool(dsn);
  try {
    await runMigrations(db.pool);
    const keys = new KeyRepository(db);
    await keys.add(ID_TOKEN_KEY_SET, [{ ...material.idToken, kid: randomUUID() }]);
    await keys.add(ACCESS_TOKEN_KEY_SET, [{ ...material.accessToken, kid: randomUUID() }]);
  } finally {
    await db.close();
  }
}
