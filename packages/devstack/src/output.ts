import type { Domain } from "@olympus/runtime-config/config";
import type { AdminLogin } from "./options";
import { describeTimings, type StartupTimings } from "./startup-clock";
import type { DevstackUrls } from "./urls";

export interface ReadyTableInput {
  urls: DevstackUrls;
  admin: AdminLogin;
  /** The bearer token each domain's admin APIs require (development constants, fine to show). */
  adminTokens: Record<Domain, string>;
  apps: boolean;
  dataDir: string;
  /** Time to ready and its phases; shown under the title when given. */
  timings?: StartupTimings;
}

/**
 * The one table `npm run dev` prints once everything is healthy: every URL a
 * developer needs, the admin APIs' tokens and the seeded admin login. Admin
 * APIs are shown on 127.0.0.1 — they are for servers and curl, never for a
 * browser.
 */
export function renderReadyTable({ urls, admin, adminTokens, apps, dataDir, timings }: ReadyTableInput): string {
  const rows: [string, string, string][] = [
    ["", "CIAM (customers)", "IAM (employees)"],
    ["Hera (login UI)", urls.ciam.hera, urls.iam.hera],
    ["Athena (admin UI)", urls.ciam.athena, urls.iam.athena],
    ["Kratos public API", urls.ciam.kratosPublic, urls.iam.kratosPublic],
    ["Kratos admin API", urls.ciam.kratosAdmin, urls.iam.kratosAdmin],
    ["Hydra public API", urls.ciam.hydraPublic, urls.iam.hydraPublic],
    ["Hydra admin API", urls.ciam.hydraAdmin, urls.iam.hydraAdmin],
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("   ")}`.trimEnd();
  const password = admin.passwordFromEnv ? "(the password in OLYMPUS_ADMIN_PASSWORD)" : admin.password;
  const out = [
    "",
    timings ? `  Olympus dev stack — ${describeTimings(timings)}` : "  Olympus dev stack",
    "",
    ...rows.map(line),
    "",
    `  Admin API tokens    CIAM ${adminTokens.ciam}   IAM ${adminTokens.iam}`,
    "                      every admin path but /health/* needs Authorization: Bearer <token> (EMBEDDED_ADMIN_API_TOKEN in packages/devstack/src/embedded-defaults.ts)",
    `                      e.g. curl -H 'Authorization: Bearer ${adminTokens.iam}' ${urls.iam.kratosAdmin}/admin/identities`,
    "",
    // Started by turbo beside Hera and Athena, so only listed with them.
    ...(apps ? [`  Demo relying party  ${urls.demo}   (a CIAM customer app: sign up, sign in and out through Hera CIAM)`] : []),
    `  Mail inbox          ${urls.inbox}   (REST API ${urls.inboxApi}; both Kratos send to ${urls.smtp})`,
    `  PostgreSQL          ${urls.postgres}   (settings DB ${urls.olympusDatabase} as olympus_ciam / olympus_iam, one role per Athena)`,
    `  Data                ${dataDir}   (npm run dev:reset wipes it)`,
    "",
    `  Seeded IAM admin    ${admin.email}  /  ${password}`,
    `                      sign in to Athena at ${urls.iam.athena} (or ${urls.ciam.athena}) through IAM Hera ${urls.iam.hera}`,
    "                      IAM requires a second factor: the first sign-in asks you to enrol an authenticator app (or a security key)",
  ];
  if (!apps) out.push("", "  Apps not started (OLYMPUS_DEV_APPS=0): backend only.");
  out.push("");
  return out.join("\n");
}
