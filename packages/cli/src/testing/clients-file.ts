import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_DIR } from "./ory-stack";

export const SHIPPED_PROD_CLIENTS = path.join(REPO_DIR, "platform/prod/oauth2-clients.yml");

/** A throwaway copy of platform/prod/oauth2-clients.yml, optionally edited, for a test to point --clients at. */
export function clientsFileCopy(edit: (text: string) => string = (text) => text): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-clients-")), "oauth2-clients.yml");
  copyFileSync(SHIPPED_PROD_CLIENTS, file);
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return file;
}

/** Secrets for the shipped clients file: long, random-looking, not example values. */
export const CLIENT_SECRETS = {
  CIAM_ATHENA_CLIENT_SECRET: "c1a2m3-athena-client-secret-7f3e9a1b5c",
  IAM_ATHENA_CLIENT_SECRET: "i4a5m6-athena-client-secret-2d8c4e6f0a",
};
