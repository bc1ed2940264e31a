import { generateSigningKeyMaterial, TEST_SIGNING_KEYS_ENV } from "./signing-keys";

/**
 * Vitest global setup: generates the test stacks' signing keys once per run
 * (testing/signing-keys.ts); the workers started afterwards inherit them.
 */
export default async function setup(): Promise<void> {
  process.env[TEST_SIGNING_KEYS_ENV] ??= JSON.stringify(await generateSigningKeyMaterial());
}
