import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  clientsFileProblems,
  oauth2ClientsFile,
  secretVariables,
  toClientDefinition,
  type OAuth2ClientDefinition,
} from "@olympus/ory-client/bootstrap";
import { parse } from "yaml";
import { z } from "zod";
import { looksLikeExample, readVariables, variable, type Env } from "./env";
import { configError } from "./errors";

/** platform/prod/oauth2-clients.yml of this checkout (the image has the repository's files too). */
export const SHIPPED_CLIENTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../platform/prod/oauth2-clients.yml");

/** The shortest client secret accepted; Athena refuses shorter ones for its AUTH_CLIENT_SECRET too. */
export const MIN_CLIENT_SECRET_LENGTH = 16;

export interface ClientsOptions {
  file: string;
  env: Env;
  environment: "production" | "development";
  /** OLYMPUS_DOMAIN, when set: every redirect URI must be on it. */
  parentDomain: string | undefined;
}

/**
 * The IAM Hydra clients an oauth2-clients.yml lists, each with its secret
 * read from the variable its `client_secret_env` names. Everything is
 * checked before any API is called, so a mistake changes nothing.
 */
export function loadIamClients(options: ClientsOptions): OAuth2ClientDefinition[] {
  const relative = path.relative(process.cwd(), options.file);
  const label = relative && !relative.startsWith("..") ? relative : options.file;
  if (!existsSync(options.file))
    throw configError(`${label} does not exist; point OLYMPUS_CLIENTS_FILE (or --clients) at the deployment's oauth2-clients.yml`);
  let document: unknown;
  try {
    document = parse(readFileSync(options.file, "utf8"));
  } catch (error) {
    throw configError(`${label} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = oauth2ClientsFile.safeParse(document);
  if (!parsed.success) {
    throw configError(...parsed.error.issues.map((issue) => `${label}: ${issue.path.join(".") || "document"} ${issue.message}`));
  }
  const problems = clientsFileProblems(parsed.data).map((problem) => `${label}: ${problem}`);
  if (parsed.data.ciam.length > 0) {
    problems.push(
      `${label}: lists CIAM clients (${parsed.data.ciam.map((c) => c.client_id).join(", ")}); the bootstrap talks to IAM only — register them in Athena CIAM`,
    );
  }
  if (options.parentDomain) problems.push(...offDomainUris(parsed.data.iam, options.parentDomain, label));
  if (problems.length > 0) throw configError(...problems);

  const secretSchema = z
    .string()
    .min(MIN_CLIENT_SECRET_LENGTH, { error: `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters` })
    .refine((value) => options.environment !== "production" || !looksLikeExample(value), { error: "holds an example value" });
  const specs = Object.fromEntries(
    secretVariables(parsed.data.iam).map((name) => [
      name,
      variable(secretSchema, `set it to the OAuth2 client secret the Athena using it is given (openssl rand -hex 24)`),
    ]),
  );
  const secrets = readVariables(options.env, specs);
  return parsed.data.iam.map((entry) =>
    toClientDefinition(entry, entry.client_secret_env ? String(secrets[entry.client_secret_env]) : undefined),
  );
}

/** The file ships with example.com: a redirect URI off the deployment's domain means it was not edited. */
function offDomainUris(
  entries: { client_id: string; redirect_uris: string[]; post_logout_redirect_uris: string[] }[],
  parent: string,
  label: string,
): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    for (const uri of [...entry.redirect_uris, ...entry.post_logout_redirect_uris]) {
      const host = new URL(uri).hostname;
      if (host !== parent && !host.endsWith(`.${parent}`)) {
        problems.push(
          `${label}: ${entry.client_id} has ${uri}, which is not on OLYMPUS_DOMAIN (${parent}); replace the example domain in the file with yours`,
        );
      }
    }
  }
  return problems;
}
