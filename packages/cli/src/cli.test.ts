import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { COMMANDS } from "./cli";
import { statusTargets } from "./commands/status";
import { CLIENT_SECRETS, clientsFileCopy } from "./testing/clients-file";
import { olympus } from "./testing/run";

const IAM_APIS = { IAM_KRATOS_ADMIN_URL: "http://127.0.0.1:9", IAM_HYDRA_ADMIN_URL: "http://127.0.0.1:9" };

describe("olympus: commands, help and usage errors", () => {
  it("lists every command with --help and exits 0; a bare `olympus` is a usage error (2)", async () => {
    const help = await olympus(["--help"], {});
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.name}`);
    expect((await olympus([], {})).code).toBe(2);
    expect((await olympus(["help"], {})).code).toBe(0);
  });

  it.each(COMMANDS.map((c) => [c.name]))("prints %s's help with --help and with `help <command>`", async (name) => {
    const words = name.split(" ");
    const viaFlag = await olympus([...words, "--help"], {});
    const viaHelp = await olympus(["help", ...words], {});
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: olympus ${name}`));
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it("refuses an unknown command with one line, as JSON too", async () => {
    const run = await olympus(["tenant", "frobnicate"], {});
    expect(run).toMatchObject({
      code: 2,
      stdout: "",
      stderr: 'olympus: unknown command "tenant frobnicate"; run olympus --help for the list\n',
    });
    const json = await olympus(["--json", "frobnicate"], {});
    expect(json.code).toBe(2);
    expect(json.json()).toEqual({
      ok: false,
      command: "frobnicate",
      error: {
        code: "usage",
        message: 'unknown command "frobnicate"; run olympus --help for the list',
        problems: ['unknown command "frobnicate"; run olympus --help for the list'],
      },
    });
  });

  it("refuses extra arguments and unknown options", async () => {
    expect((await olympus(["status", "extra"], {})).stderr).toBe(
      "olympus: usage: olympus status [--domain ciam|iam] [--compose] [--timeout <seconds>]\n",
    );
    expect((await olympus(["status", "--domain", "both"], {})).stderr).toBe('olympus: --domain "both" must be ciam or iam\n');
    expect((await olympus(["bootstrap", "--force"], {})).stderr).toMatch(
      /^olympus: Unknown option '--force'.*; see olympus bootstrap --help\n$/,
    );
  });
});

describe("olympus: configuration from the environment", () => {
  it("names every missing variable of bootstrap and how to set it, one line each (exit 2)", async () => {
    const run = await olympus(["bootstrap"], {});
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      "olympus: OLYMPUS_ADMIN_EMAIL is not set; set it to the first IAM admin's email address (or pass --email)",
    ]);
    const apis = await olympus(["bootstrap", "--email", "a@example.com", "--json"], {});
    expect(apis.json()).toMatchObject({
      ok: false,
      command: "bootstrap",
      error: {
        code: "config",
        problems: [
          "IAM_KRATOS_ADMIN_URL is not set; set it to IAM Kratos' admin API: http://iam-kratos:4101 in Compose, http://127.0.0.1:4101 with npm run dev",
          "IAM_HYDRA_ADMIN_URL is not set; set it to IAM Hydra's admin API: http://iam-hydra:4103 in Compose, http://127.0.0.1:4103 with npm run dev",
        ],
      },
    });
  });

  it.each([
    [{ IAM_KRATOS_ADMIN_URL: "iam-kratos:4101" }, "IAM_KRATOS_ADMIN_URL must be an http:// or https:// URL"],
    [{ IAM_ADMIN_API_TOKEN: "short" }, "IAM_ADMIN_API_TOKEN must be at least 32 characters"],
    [{ OLYMPUS_ADMIN_EMAIL: "admin" }, "OLYMPUS_ADMIN_EMAIL must be an email address"],
    [{ OLYMPUS_ENV: "staging" }, 'OLYMPUS_ENV must be "production" or "development"'],
    [
      { CIAM_ATHENA_CLIENT_SECRET: undefined },
      "CIAM_ATHENA_CLIENT_SECRET is not set; set it to the OAuth2 client secret the Athena using it is given",
    ],
    [{ IAM_ATHENA_CLIENT_SECRET: "change-me-change-me" }, "IAM_ATHENA_CLIENT_SECRET holds an example value"],
    [{ IAM_ATHENA_CLIENT_SECRET: "dev-athena-iam-client-secret-NOT-FOR-PRODUCTION" }, "IAM_ATHENA_CLIENT_SECRET holds an example value"],
    [{ IAM_ATHENA_CLIENT_SECRET: "too-short" }, "IAM_ATHENA_CLIENT_SECRET must be at least 16 characters"],
    [
      { OLYMPUS_CLIENTS_FILE: "/nonexistent/oauth2-clients.yml" },
      "/nonexistent/oauth2-clients.yml does not exist; point OLYMPUS_CLIENTS_FILE (or --clients) at the deployment's oauth2-clients.yml",
    ],
  ])("bootstrap refuses %j before calling any API", async (override, message) => {
    const env = {
      ...IAM_APIS,
      ...CLIENT_SECRETS,
      OLYMPUS_ADMIN_EMAIL: "a@example.com",
      OLYMPUS_CLIENTS_FILE: clientsFileCopy(),
      ...override,
    };
    const run = await olympus(["bootstrap", "--json"], env);
    expect(run.code).toBe(2);
    expect((run.json().error as { problems: string[] }).problems.join("\n")).toContain(message);
  });

  it("accepts the dev stack's secrets only with OLYMPUS_ENV=development (then fails on the closed port, exit 1)", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const env = {
      IAM_KRATOS_ADMIN_URL: closed,
      IAM_HYDRA_ADMIN_URL: closed,
      OLYMPUS_ADMIN_EMAIL: "a@example.com",
      OLYMPUS_CLIENTS_FILE: clientsFileCopy(),
      OLYMPUS_ENV: "development",
      IAM_ATHENA_CLIENT_SECRET: "dev-athena-iam-client-secret-NOT-FOR-PRODUCTION",
      CIAM_ATHENA_CLIENT_SECRET: "dev-athena-ciam-client-secret-NOT-FOR-PRODUCTION",
    };
    const run = await olympus(["bootstrap", "--wait", "0", "--json"], env);
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { code: "unreachable" } });
  });

  it.each([
    [
      "the example domain left in while OLYMPUS_DOMAIN is another",
      (t: string) => t,
      { OLYMPUS_DOMAIN: "acme.test" },
      "iam-athena-ciam has https://admin.ciam.example.com/api/auth/callback/olympus-iam, which is not on OLYMPUS_DOMAIN (acme.test)",
    ],
    [
      "a CIAM client",
      (t: string) =>
        t.replace(
          "ciam: []",
          "ciam:\n  - { client_id: ciam-shop, client_name: Shop, client_secret_env: SHOP_SECRET, redirect_uris: [https://shop.example.com/cb], grant_types: [authorization_code], scope: openid }",
        ),
      {},
      "lists CIAM clients (ciam-shop); the bootstrap talks to IAM only",
    ],
    [
      "a client without client_secret_env",
      (t: string) => t.replace("    client_secret_env: IAM_ATHENA_CLIENT_SECRET\n", ""),
      {},
      'iam: client "iam-athena-iam" needs client_secret_env',
    ],
    [
      "a client id without its domain's prefix",
      (t: string) => t.replace("client_id: iam-athena-iam", "client_id: athena-iam"),
      {},
      'iam: client id "athena-iam" must start with "iam-"',
    ],
    ["a misspelt field", (t: string) => t.replace("skip_consent: true", "skip_consnet: true"), {}, 'Unrecognized key: "skip_consnet"'],
    [
      "an unknown grant type",
      (t: string) => t.replace("grant_types: [authorization_code, refresh_token]", "grant_types: [password]"),
      {},
      "iam.0.grant_types.0",
    ],
  ])("bootstrap refuses a clients file with %s", async (_what, edit, extra, message) => {
    const env = {
      ...IAM_APIS,
      ...CLIENT_SECRETS,
      OLYMPUS_ADMIN_EMAIL: "a@example.com",
      OLYMPUS_CLIENTS_FILE: clientsFileCopy(edit),
      ...extra,
    };
    const run = await olympus(["bootstrap", "--json"], env);
    expect(run.code).toBe(2);
    expect((run.json().error as { problems: string[] }).problems.join("\n")).toContain(message);
  });

  it("status defaults to the port table on 127.0.0.1, or to Compose's service names with --compose", () => {
    const local = statusTargets({});
    expect(local.map((t) => t.url)).toContain("http://127.0.0.1:4101");
    expect(local.find((t) => t.name === "Postgres")?.url).toBe("postgres://127.0.0.1:5432");
    const compose = statusTargets({ IAM_HERA_URL: "http://hera.internal:8080" }, ["iam"], "compose");
    expect(compose.map((t) => [t.name, t.url])).toEqual([
      ["IAM Kratos public", "http://iam-kratos:4100"],
      ["IAM Kratos admin", "http://iam-kratos:4101"],
      ["IAM Hydra public", "http://iam-hydra:4102"],
      ["IAM Hydra admin", "http://iam-hydra:4103"],
      ["IAM Hera", "http://hera.internal:8080"],
      ["IAM Athena", "http://iam-athena:4001"],
      ["Postgres", "postgres://postgres:5432"],
    ]);
  });

  it("status names a malformed URL variable", async () => {
    const run = await olympus(["status"], { IAM_HERA_URL: "iam-hera:4000", OLYMPUS_POSTGRES_URL: "mysql://db" });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      "olympus: IAM_HERA_URL must be an http:// or https:// URL; set it to Hera IAM's base URL or leave it unset for the port table on 127.0.0.1",
      "olympus: OLYMPUS_POSTGRES_URL must be a postgres:// URL (host and port are enough); set it to the PostgreSQL server, e.g. postgres://postgres:5432",
    ]);
  });
});

describe("the olympus executable", () => {
  it("runs from bin/olympus.js and passes the exit code on", async () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/olympus.js");
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, "admin", "add", "--json"], {
        env: { PATH: process.env.PATH ?? "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.on("exit", (code) => resolve({ code, stdout }));
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, command: "admin add", error: { code: "usage" } });
  });
});
