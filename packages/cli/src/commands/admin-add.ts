import { IAM_ADMIN_ROLES, type IamAdminRole } from "@olympus/ory-client/identity";
import { provisionAdmin } from "../admin-account";
import { stringOption, type Command } from "../command";
import { usageError } from "../errors";
import { readIamApis, waitForIamApis } from "../iam-apis";
import { parseEmailArgument, parseLifespan, parsePersonName, parseSeconds } from "../names";

export const adminAddCommand: Command = {
  name: "admin add",
  summary: "create an IAM admin (or change an existing one's role) and print their invitation",
  usage: "olympus admin add <email> [--role viewer|admin] [--name <name>] [--invite] [--expires-in <duration>]",
  help: `Creates the IAM identity <email> (schema admin, no password) with the Athena
role in metadata_admin, and prints its invitation: a Kratos admin recovery
code and the link to enter it at (IAM recovers by code), valid --expires-in,
shown here once and not mailed (Kratos' admin API sends no mail) — send both
to the person yourself. The code signs them in once and they choose a password.

An existing identity keeps its traits and password; only its role is set.
Lowering a role (admin → viewer) also ends the person's IAM sign-ins at IAM
Hydra, as Athena does, so the new role applies at their next sign-in.

Options:
  --role viewer|admin      the Athena role (default viewer)
  --name <name>            a new identity's name, "First Last" (default: from the email)
  --invite                 also make a new invitation for an existing identity
  --expires-in <duration>  how long the invitation is valid (default 24h)
  --wait <seconds>         wait this long for the admin APIs to be ready (default 10)

Environment:
  IAM_KRATOS_ADMIN_URL, IAM_HYDRA_ADMIN_URL, IAM_ADMIN_API_TOKEN (as for bootstrap)`,
  options: {
    role: { type: "string" },
    name: { type: "string" },
    invite: { type: "boolean" },
    "expires-in": { type: "string" },
    wait: { type: "string" },
  },
  positionals: { min: 1, max: 1 },
  async run({ args, options, env, out }) {
    const email = parseEmailArgument(args[0] ?? "", "<email>");
    const role = parseRole(stringOption(options, "role"));
    const invitationLifespan = parseLifespan(stringOption(options, "expires-in"));
    const waitSeconds = parseSeconds(stringOption(options, "wait"), "--wait", 10);
    const apis = readIamApis(env);
    await waitForIamApis(apis, waitSeconds, out);
    const admin = await provisionAdmin(
      apis,
      {
        email,
        role,
        name: parsePersonName(stringOption(options, "name")),
        invite: options.invite === true ? "always" : "new",
        invitationLifespan,
      },
      out,
    );
    return { ok: true, data: { admin: admin.report }, lines: admin.lines };
  },
};

function parseRole(value: string | undefined): IamAdminRole {
  if (value === undefined) return "viewer";
  const role = IAM_ADMIN_ROLES.find((r) => r === value);
  if (!role) throw usageError(`--role "${value}" is not an Athena role; use ${IAM_ADMIN_ROLES.join(" or ")}`);
  return role;
}
