/**
 * Moves admin-only attributes out of one domain's identity traits into
 * metadata_admin (see move-admin-only-traits.ts). Run it once per domain
 * after deploying the schemas without those traits, from a host that reaches
 * that domain's Kratos admin API:
 *
 *   IAM_KRATOS_ADMIN_URL=http://iam-kratos:4101 IAM_ADMIN_API_TOKEN=… \
 *     npm run identities:move-admin-only-traits -- --domain iam
 *
 * Prints every identity it changed (review IAM roles it moved: before the
 * fix, a person could have set their own) and exits 1 if any could not be changed.
 */
import { parseArgs } from "node:util";
import { envPrefix, isDomain } from "@olympus/runtime-config/config";
import { moveAdminOnlyTraits } from "./move-admin-only-traits";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { domain: { type: "string" } }, strict: true });
  if (!isDomain(values.domain)) {
    console.error("move-admin-only-traits: --domain ciam|iam is required");
    return 2;
  }
  const prefix = envPrefix(values.domain);
  const kratosAdminUrl = process.env[`${prefix}KRATOS_ADMIN_URL`];
  if (!kratosAdminUrl) {
    console.error(`move-admin-only-traits: set ${prefix}KRATOS_ADMIN_URL to the ${values.domain} Kratos admin API`);
    return 2;
  }
  const report = await moveAdminOnlyTraits({ domain: values.domain, kratosAdminUrl, adminToken: process.env[`${prefix}ADMIN_API_TOKEN`] });
  for (const identity of report.moved) {
    console.log(JSON.stringify({ moved: identity.moved, dropped: identity.dropped, id: identity.id, schema: identity.schemaId }));
  }
  for (const failure of report.failed) console.error(`move-admin-only-traits: ${failure.id}: ${failure.reason}`);
  console.log(
    `move-admin-only-traits: ${report.scanned} identities scanned, ${report.moved.length} changed, ${report.failed.length} failed`,
  );
  return report.failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`move-admin-only-traits: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
