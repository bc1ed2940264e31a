import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_DIR } from "../paths";
import { readEnvFile } from "./env-file";
import { addEnvironment, edit, goodEnv, prodCopy, SHIPPED_PROD_DIR, verify } from "./test-support";

const hex = (chars: number) => "0123456789abcdef".repeat(8).slice(0, chars);

/** What Kratos' and Hydra's config schemas refuse at start, whichever way the secret arrives. */
describe("verify-config: Ory secrets", () => {
  it.each([
    ["64 characters (openssl rand -hex 32)", 64],
    ["48 characters (openssl rand -hex 24)", 48],
    ["31 characters", 31],
  ])("refuses a Kratos cipher secret of %s", (_what, length) => {
    const env = { ...goodEnv(), CIAM_KRATOS_CIPHER_SECRET: hex(length) };
    expect(verify(SHIPPED_PROD_DIR, env)).toMatch(
      new RegExp(
        `compose.yml:services.ciam-kratos.environment.SECRETS_CIPHER: secrets.cipher\\[0\\] must be exactly 32 characters \\(Kratos' config schema\\), got ${length} \\(from CIAM_KRATOS_CIPHER_SECRET\\)`,
      ),
    );
  });

  it("refuses every entry of a comma-separated list that Kratos would refuse", () => {
    const env = { ...goodEnv(), IAM_KRATOS_CIPHER_SECRET: `${hex(32)},${hex(20)}` };
    expect(verify(SHIPPED_PROD_DIR, env)).toMatch(
      /services.iam-kratos.environment.SECRETS_CIPHER: secrets.cipher\[1\] must be exactly 32 characters/,
    );
  });

  it.each([
    ["iam-kratos", "IAM_KRATOS_COOKIE_SECRET", "SECRETS_COOKIE", "secrets.cookie"],
    ["ciam-hydra", "CIAM_HYDRA_SYSTEM_SECRET", "SECRETS_SYSTEM", "secrets.system"],
    ["iam-hydra", "IAM_HYDRA_COOKIE_SECRET", "SECRETS_COOKIE", "secrets.cookie"],
  ])("refuses %s's %s shorter than 16 characters", (service, variable, key, configKey) => {
    const env = { ...goodEnv(), [variable]: hex(15) };
    expect(verify(SHIPPED_PROD_DIR, env)).toMatch(
      new RegExp(
        `services.${service}.environment.${key}: ${configKey.replace(".", "\\.")}\\[0\\] must be at least 16 characters, got 15 \\(from ${variable}\\)`,
      ),
    );
  });

  it("refuses a short secret written into the Compose file as an extra override", () => {
    const dir = prodCopy();
    addEnvironment(dir, "ciam-kratos", ["SECRETS_DEFAULT: too-short"]);
    expect(verify(dir)).toMatch(
      /services.ciam-kratos.environment.SECRETS_DEFAULT: secrets.default\[0\] must be at least 16 characters, got 9$/m,
    );
  });

  it("refuses secrets written into a Kratos config file (where the environment does not replace them)", () => {
    const dir = prodCopy();
    edit(path.join(dir, "compose.yml"), /\n {6}SECRETS_CIPHER: \$\{IAM_KRATOS_CIPHER_SECRET[^}]*\}/, "");
    edit(
      path.join(dir, "iam-kratos", "kratos.yml"),
      "ciphers:\n",
      `secrets:\n  default:\n    - short\n  cipher:\n    - ${hex(40)}\nciphers:\n`,
    );
    const report = verify(dir);
    expect(report).toMatch(/iam-kratos\/kratos.yml:secrets.cipher\[0\]: must be exactly 32 characters \(Kratos' config schema\), got 40/);
    expect(report).toMatch(/iam-kratos\/kratos.yml:secrets.default\[0\]: must be at least 16 characters, got 5/);
  });

  it("lets the environment replace the file's secrets, as Kratos does", () => {
    const dir = prodCopy();
    edit(path.join(dir, "iam-kratos", "kratos.yml"), "ciphers:\n", `secrets:\n  cipher:\n    - ${hex(40)}\nciphers:\n`);
    expect(verify(dir)).toBe("");
  });

  it("refuses a Kratos without a cipher secret", () => {
    const dir = prodCopy();
    edit(path.join(dir, "compose.yml"), /\n {6}SECRETS_CIPHER: \$\{IAM_KRATOS_CIPHER_SECRET[^}]*\}/, "");
    expect(verify(dir)).toMatch(/services.iam-kratos.environment: secrets.cipher is not set/);
  });
});

describe("verify-config: the env file", () => {
  it("refuses an env file that lacks a variable the Compose file requires", () => {
    const { IAM_HYDRA_SYSTEM_SECRET: _drop, ...env } = goodEnv();
    expect(verify(SHIPPED_PROD_DIR, env)).toMatch(
      /compose.yml:services.iam-hydra.environment.SECRETS_SYSTEM: needs IAM_HYDRA_SYSTEM_SECRET, which the env file does not set$/m,
    );
  });

  it("counts ${VAR} and $VAR without a default as required", () => {
    const dir = prodCopy();
    edit(path.join(dir, "compose.yml"), "${CIAM_SMTP_CONNECTION_URI:?set CIAM_SMTP_CONNECTION_URI}", "${CIAM_SMTP_CONNECTION_URI}");
    edit(path.join(dir, "compose.yml"), "${IAM_SMTP_CONNECTION_URI:?set IAM_SMTP_CONNECTION_URI}", "$IAM_SMTP_CONNECTION_URI");
    const { CIAM_SMTP_CONNECTION_URI: _a, IAM_SMTP_CONNECTION_URI: _b, ...env } = goodEnv();
    const report = verify(dir, env);
    expect(report).toMatch(/services.ciam-kratos-settings.environment.CIAM_SMTP_CONNECTION_URI: needs CIAM_SMTP_CONNECTION_URI/);
    expect(report).toMatch(/services.iam-kratos-settings.environment.IAM_SMTP_CONNECTION_URI: needs IAM_SMTP_CONNECTION_URI/);
  });

  it("names each missing variable once, where it is first needed", () => {
    const { CIAM_OLYMPUS_DB_PASSWORD: _drop, ...env } = goodEnv();
    const lines = verify(SHIPPED_PROD_DIR, env)
      .split("\n")
      .filter((line) => line.includes("CIAM_OLYMPUS_DB_PASSWORD"));
    expect(lines).toEqual([
      expect.stringMatching(
        /services.postgres.environment.CIAM_OLYMPUS_DB_PASSWORD: needs CIAM_OLYMPUS_DB_PASSWORD, which the env file does not set \(also used in \d+ more places\)$/,
      ),
    ]);
  });

  it("refuses the example env file, naming its placeholder secrets", () => {
    const report = verify(SHIPPED_PROD_DIR, readEnvFile(path.join(SHIPPED_PROD_DIR, "olympus.env.example")));
    expect(report).toMatch(/services.postgres.environment.POSTGRES_PASSWORD: uses POSTGRES_PASSWORD, which holds an example value/);
    expect(report).toMatch(/services.ciam-kratos.environment.SECRETS_CIPHER: secrets.cipher\[0\] must be exactly 32 characters/);
  });

  it("accepts the env file .ci/run generates (its openssl recipe makes what Kratos and Hydra accept)", () => {
    const script = readFileSync(path.join(REPO_DIR, ".ci", "run"), "utf8");
    const block = /\n\{\n([\s\S]*?)\n\} > "\$prod_env"/.exec(script)?.[1];
    expect(block, '.ci/run writes the production env file in a { … } > "$prod_env" block').toBeDefined();
    const generated = execFileSync("bash", ["-euo", "pipefail", "-c", block ?? ""], { encoding: "utf8" });
    const env = Object.fromEntries(Object.entries(parseEnv(generated)).filter((e): e is [string, string] => typeof e[1] === "string"));
    expect(verify(SHIPPED_PROD_DIR, env)).toBe("");
  });
});
