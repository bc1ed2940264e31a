import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_DIR } from "../testing/ory-stack";
import { olympus } from "../testing/run";

const EXAMPLE_ENV = path.join(REPO_DIR, "platform/prod/olympus.env.example");

/** olympus.env.example with every example value replaced as its own recipe says (cipher secrets: 32 characters). */
function filledEnvFile(): string {
  const lines = readFileSync(EXAMPLE_ENV, "utf8")
    .split("\n")
    .map((line) => {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (!match?.[1] || !/change-?me/i.test(match[2] ?? "")) return line;
      const name = match[1];
      if (name.endsWith("_SMTP_CONNECTION_URI")) return `${name}=smtps://mailer:${randomBytes(24).toString("hex")}@smtp.example.com:465/`;
      if (name.endsWith("_EMAIL")) return `${name}=first.admin@example.com`;
      return `${name}=${randomBytes(name.endsWith("_CIPHER_SECRET") ? 16 : name === "ENCRYPTION_KEY" ? 32 : 24).toString("hex")}`;
    });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-env-")), "olympus.env");
  writeFileSync(file, lines.join("\n"));
  return file;
}

describe("olympus verify-config", () => {
  it("accepts the shipped production configuration with real secrets", async () => {
    const run = await olympus(["verify-config", "--env", filledEnvFile(), "--json"], {});
    expect(run.json()).toMatchObject({ ok: true, command: "verify-config", problems: [] });
    expect(run.code).toBe(0);
  });

  it("refuses the example env file: one problem a line, exit 1", async () => {
    const run = await olympus(["verify-config", "--env", EXAMPLE_ENV], {});
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^verify-config: \d+ problem\(s\); refusing this configuration$/);
    expect(lines).toContain("verify-config: ENCRYPTION_KEY: is an example value; generate one for production (openssl rand -hex 32)");
    const json = (await olympus(["verify-config", "--env", EXAMPLE_ENV, "--json"], {})).json() as {
      ok: boolean;
      problems: { where: string; message: string }[];
    };
    expect(json.ok).toBe(false);
    expect(json.problems.length).toBe(lines.length - 1);
  });

  it("resolves --env from the caller's folder and says when it is missing", async () => {
    const run = await olympus(["verify-config", "--env", "olympus.env"], {}, path.join(REPO_DIR, "platform/prod"));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("olympus: --env olympus.env does not exist; copy platform/prod/olympus.env.example and fill it in\n");
    expect((await olympus(["verify-config"], {})).stderr).toMatch(/--env <file> is required/);
  });
});
