/**
 * Helpers for verify-config's tests: a complete, strong deployment
 * environment, and throwaway copies of platform/prod and the Caddyfile that a
 * test may break on purpose.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { PLATFORM_DIR } from "../paths";
import { formatProblems } from "../problem";
import { verifyProductionConfig } from "./verify";

export const SHIPPED_PROD_DIR = path.join(PLATFORM_DIR, "prod");
export const SHIPPED_CADDYFILE = path.join(PLATFORM_DIR, "caddy", "Caddyfile");

/** Secrets the shipped Compose file requires, all long enough for their consumer. */
const SECRET_NAMES = [
  "POSTGRES_PASSWORD",
  "CIAM_KRATOS_DB_PASSWORD",
  "CIAM_HYDRA_DB_PASSWORD",
  "IAM_KRATOS_DB_PASSWORD",
  "IAM_HYDRA_DB_PASSWORD",
  "OLYMPUS_MIGRATOR_DB_PASSWORD",
  "CIAM_OLYMPUS_DB_PASSWORD",
  "IAM_OLYMPUS_DB_PASSWORD",
  "CIAM_HERA_COOKIE_SECRET",
  "IAM_HERA_COOKIE_SECRET",
  "CIAM_ATHENA_CLIENT_SECRET",
  "IAM_ATHENA_CLIENT_SECRET",
  "CIAM_ATHENA_AUTH_SECRET",
  "IAM_ATHENA_AUTH_SECRET",
  "CIAM_KRATOS_COOKIE_SECRET",
  "IAM_KRATOS_COOKIE_SECRET",
  "CIAM_HYDRA_SYSTEM_SECRET",
  "CIAM_HYDRA_COOKIE_SECRET",
  "IAM_HYDRA_SYSTEM_SECRET",
  "IAM_HYDRA_COOKIE_SECRET",
];

/** A complete, strong deployment environment for the shipped production configs. */
export function goodEnv(): Record<string, string> {
  const secret = (name: string) => `${name.toLowerCase()}-f3a9c1d7e5b2046a8c1d9e7f5a3b1c0d`;
  return {
    OLYMPUS_DOMAIN: "example.com",
    OLYMPUS_VERSION: "0.1.0",
    OLYMPUS_ADMIN_EMAIL: "first.admin@example.com",
    ENCRYPTION_KEY: "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ...Object.fromEntries(SECRET_NAMES.map((n) => [n, secret(n)])),
    // Kratos' schema takes cipher secrets of exactly 32 characters (openssl rand -hex 16).
    CIAM_KRATOS_CIPHER_SECRET: "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
    IAM_KRATOS_CIPHER_SECRET: "f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0",
    CIAM_SMTP_CONNECTION_URI: "smtps://ciam-mailer:mail-password@smtp.example.com:465/",
    IAM_SMTP_CONNECTION_URI: "smtps://iam-mailer:mail-password@smtp.example.com:465/",
  };
}

/** A throwaway copy of platform/prod that a test may break. */
export function prodCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "olympus-prod-"));
  cpSync(SHIPPED_PROD_DIR, dir, { recursive: true });
  return dir;
}

/** A throwaway copy of the Caddyfile that a test may break. */
export function caddyfileCopy(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-caddy-")), "Caddyfile");
  copyFileSync(SHIPPED_CADDYFILE, file);
  return file;
}

/** Replaces `from` in `file`, failing the test when `from` is not there (the copy would not be broken). */
export function edit(file: string, from: string | RegExp, to: string): void {
  const before = readFileSync(file, "utf8");
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

/**
 * Adds `lines` (already indented for a service's environment mapping) at the
 * top of `service`'s environment in the copy's compose.yml.
 */
export function addEnvironment(dir: string, service: string, lines: string[]): void {
  const file = path.join(dir, "compose.yml");
  edit(file, new RegExp(`(\\n  ${service}:\\n(?:    .*\\n)*?    environment:\\n)`), `$1${lines.map((l) => `      ${l}\n`).join("")}`);
}

/** Adds `lines` (already indented for a service mapping) at the top of `service` in the copy's compose.yml. */
export function addToService(dir: string, service: string, lines: string[]): void {
  edit(path.join(dir, "compose.yml"), `\n  ${service}:\n`, `\n  ${service}:\n${lines.map((l) => `    ${l}\n`).join("")}`);
}

/** verify-config's report for a configuration set, one problem a line ("" when accepted). */
export function verify(dir: string, env = goodEnv(), caddyfile = SHIPPED_CADDYFILE): string {
  return formatProblems(verifyProductionConfig({ dir, caddyfile, env }));
}
