import path from "node:path";
import { ensureOAuth2Client, type OAuth2ClientResult } from "@olympus/ory-client/bootstrap";
import { z } from "zod";
import { provisionAdmin } from "../admin-account";
import { loadIamClients, SHIPPED_CLIENTS_FILE } from "../clients";
import { stringOption, type Command } from "../command";
import { emailAddress, environment, readVariables, variable } from "../env";
import { readIamApis, waitForIamApis } from "../iam-apis";
import { parseEmailArgument, parseLifespan, parsePersonName, parseSeconds } from "../names";

export const bootstrapCommand: Command = {
  name: "bootstrap",
  summary: "create or repair the first IAM admin and Athena's OAuth2 clients (idempotent)",
  usage: "olympus bootstrap [--email <email>] [--name <name>] [--clients <file>] [--invite] [--expires-in <duration>] [--wait <seconds>]",
  help: `Makes a fresh IAM stack usable, through the IAM Kratos and Hydra admin APIs only,
and repairs drift on every later run (safe to run on every deploy):

  - the first IAM admin: an identity (schema admin) with the Athena role "admin"
    in metadata_admin and no password. A new one gets an invitation — a Kratos
    admin recovery code and its link, printed here once (Kratos' admin API
    sends no mail).
    A lost role is restored; a deactivated admin is reported, not re-activated.
  - every IAM Hydra client in the clients file (Athena CIAM and Athena IAM),
    its secret read from the variable its client_secret_env names: created,
    replaced when a field or the secret drifted, "unchanged" otherwise.

Options:
  --email <email>          the admin (default: OLYMPUS_ADMIN_EMAIL)
  --name <name>            a new admin's name, "First Last" (default: OLYMPUS_ADMIN_NAME, else from the email)
  --clients <file>         the clients file (default: OLYMPUS_CLIENTS_FILE, else platform/prod/oauth2-clients.yml)
  --invite                 make a new invitation even if the admin exists (the last one expired)
  --expires-in <duration>  how long the invitation is valid (default 24h)
  --wait <seconds>         wait this long for the admin APIs to be ready (default 60)

Environment:
  IAM_KRATOS_ADMIN_URL, IAM_HYDRA_ADMIN_URL   IAM's admin APIs (required)
  IAM_ADMIN_API_TOKEN                         their bearer token, when they require one
  OLYMPUS_ADMIN_EMAIL, OLYMPUS_ADMIN_NAME     the first admin
  OLYMPUS_CLIENTS_FILE                        the clients file
  CIAM_ATHENA_CLIENT_SECRET, IAM_ATHENA_CLIENT_SECRET
                                              the secrets the shipped clients file names
  OLYMPUS_DOMAIN                              when set, every redirect URI must be on it
  OLYMPUS_ENV                                 production (default: example secrets refused) or development`,
  options: {
    email: { type: "string" },
    name: { type: "string" },
    clients: { type: "string" },
    invite: { type: "boolean" },
    "expires-in": { type: "string" },
    wait: { type: "string" },
  },
  positionals: { min: 0, max: 0 },
  async run({ options, env, cwd, out }) {
    const flagEmail = stringOption(options, "email");
    const settings = readVariables(env, {
      OLYMPUS_ADMIN_EMAIL: variable(
        flagEmail === undefined ? emailAddress() : emailAddress().optional(),
        "set it to the first IAM admin's email address (or pass --email)",
      ),
      OLYMPUS_ADMIN_NAME: variable(z.string().max(200).optional(), 'set it to the admin\'s name, "First Last", or leave it unset'),
      OLYMPUS_CLIENTS_FILE: variable(z.string().optional(), "set it to the path of the deployment's oauth2-clients.yml"),
      OLYMPUS_DOMAIN: variable(
        z
          .string()
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { error: "must be a domain name like example.com" })
          .optional(),
        "set it to the parent domain (example.com) or leave it unset",
      ),
      OLYMPUS_ENV: variable(environment(), "set it to production or development"),
    });
    const email = flagEmail === undefined ? (settings.OLYMPUS_ADMIN_EMAIL as string) : parseEmailArgument(flagEmail, "--email");
    const invitationLifespan = parseLifespan(stringOption(options, "expires-in"));
    const waitSeconds = parseSeconds(stringOption(options, "wait"), "--wait", 60);
    const apis = readIamApis(env);
    const clientsFlag = stringOption(options, "clients");
    const file = clientsFlag ? path.resolve(cwd, clientsFlag) : path.resolve(cwd, settings.OLYMPUS_CLIENTS_FILE ?? SHIPPED_CLIENTS_FILE);
    const clients = loadIamClients({ file, env, environment: settings.OLYMPUS_ENV, parentDomain: settings.OLYMPUS_DOMAIN?.toLowerCase() });

    await waitForIamApis(apis, waitSeconds, out);
    const admin = await provisionAdmin(
      apis,
      {
        email,
        role: "admin",
        name: parsePersonName(stringOption(options, "name") ?? settings.OLYMPUS_ADMIN_NAME),
        invite: options.invite === true ? "always" : "new",
        invitationLifespan,
      },
      out,
    );
    const results: OAuth2ClientResult[] = [];
    for (const client of clients) {
      out.progress(`OAuth2 client ${client.client_id}: checking in IAM Hydra…`);
      results.push(await ensureOAuth2Client(apis.hydra, client));
    }
    return {
      ok: true,
      data: { admin: admin.report, clients: results.map((r) => ({ hydra: "iam", ...r })) },
      lines: [
        ...admin.lines,
        ...results.map(
          (r) => `OAuth2 client ${r.clientId} in IAM Hydra: ${r.outcome}${r.outcome === "updated" ? ` (${r.changes.join(", ")})` : ""}`,
        ),
        `bootstrap: done — ${[admin.report.outcome === "unchanged" ? undefined : `admin ${admin.report.outcome}`, ...results.filter((r) => r.outcome !== "unchanged").map((r) => `${r.clientId} ${r.outcome}`)].filter(Boolean).join(", ") || "everything unchanged"}`,
      ],
    };
  },
};
