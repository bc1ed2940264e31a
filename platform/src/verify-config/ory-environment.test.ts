import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addEnvironment, addToService, edit, goodEnv, prodCopy, verify } from "./test-support";

/**
 * Kratos and Hydra read every config key from the environment as well
 * (session.cookie.domain as SESSION_COOKIE_DOMAIN), and the environment wins
 * over the file: a Compose file can undo what the checked config says.
 */
describe("verify-config: Ory settings given through the environment", () => {
  it.each([
    ["ciam-kratos", "SESSION_COOKIE_DOMAIN", "example.com"],
    ["iam-kratos", "COOKIES_DOMAIN", ".example.com"],
    ["ciam-hydra", "SERVE_COOKIES_DOMAIN", "example.com"],
    ["iam-hydra", "SERVE_COOKIES_DOMAIN", "ciam.example.com"],
    // Ory lower-cases the variable's name before matching it to a key.
    ["ciam-kratos", "session_cookie_domain", "example.com"],
  ])("refuses %s's cookie domain set through %s", (service, name, value) => {
    const dir = prodCopy();
    addEnvironment(dir, service, [`${name}: ${value}`]);
    expect(verify(dir)).toMatch(
      new RegExp(`compose.yml:services.${service}.environment.${name}: "${value.replace(/\./g, "\\.")}" would share cookies beyond`),
    );
  });

  it("refuses a cookie domain whose value comes from the env file", () => {
    const dir = prodCopy();
    addEnvironment(dir, "ciam-kratos", ["SESSION_COOKIE_DOMAIN: ${CIAM_COOKIE_DOMAIN:-ciam.example.com}"]);
    expect(verify(dir)).toBe("");
    expect(verify(dir, { ...goodEnv(), CIAM_COOKIE_DOMAIN: "example.com" })).toMatch(
      /services.ciam-kratos.environment.SESSION_COOKIE_DOMAIN: "example.com" would share cookies beyond this domain's own host "ciam.example.com"/,
    );
  });

  it("refuses a cookie domain set in a service's env_file", () => {
    const dir = prodCopy();
    writeFileSync(path.join(dir, "kratos.env"), "COOKIES_DOMAIN=example.com\n");
    addToService(dir, "iam-kratos", ["env_file: ./kratos.env"]);
    expect(verify(dir)).toMatch(/services.iam-kratos.env_file\(\.\/kratos.env\).COOKIES_DOMAIN: "example.com" would share cookies/);
  });

  it.each([
    ["ciam-kratos", "SERVE_ADMIN_HOST", "0.0.0.0"],
    ["iam-kratos", "SERVE_ADMIN_PORT", '"4101"'],
    ["ciam-hydra", "SERVE_ADMIN_PORT", '"3102"'],
    ["iam-hydra", "SERVE_ADMIN_HOST", "0.0.0.0"],
  ])("refuses %s's admin listener moved through %s", (service, name, value) => {
    const dir = prodCopy();
    addEnvironment(dir, service, [`${name}: ${value}`]);
    const report = verify(dir);
    expect(report).toMatch(new RegExp(`compose.yml:services.${service}.environment.${name}: moves the admin API's listener`));
    // One line per variable, even when the port table check would also object.
    expect(report.split("\n").filter((line) => line.includes(`environment.${name}:`))).toHaveLength(1);
  });

  it("refuses a public port swapped onto the admin port through the environment", () => {
    const dir = prodCopy();
    addEnvironment(dir, "ciam-kratos", ['SERVE_PUBLIC_PORT: "3101"']);
    expect(verify(dir)).toMatch(/services.ciam-kratos.environment.SERVE_PUBLIC_PORT: must be 3100 \(port table\), got 3101/);
  });

  it.each([
    ["long syntax", ["ports:", "  - target: 3101", "    published: 3101"], /publishes 3101 \(container 3101\)/],
    ["a bare container port", ["ports:", "  - 3101"], /publishes container port 3101 on a random host port/],
  ])("refuses an admin port published with %s", (_what, lines, expected) => {
    const dir = prodCopy();
    addToService(dir, "ciam-kratos", lines);
    expect(verify(dir)).toMatch(new RegExp(`services.ciam-kratos.ports: ${expected.source}; in production only Caddy faces the outside`));
  });

  it("refuses a service on the host's network, where its admin port faces the outside", () => {
    const dir = prodCopy();
    addToService(dir, "iam-hydra", ["network_mode: host"]);
    expect(verify(dir)).toMatch(/services.iam-hydra.network_mode: "host" takes the service off its domain's private network/);
  });
});

describe("verify-config: the config file a container really reads", () => {
  it("refuses a Kratos started with a config file other than the checked one", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "command: serve -c /etc/config/kratos-prod/kratos.yml -c /etc/config/kratos-settings/overlay.yml --watch-courier\n    environment:\n      DSN: postgres://iam_kratos",
      "command: serve -c /etc/config/kratos/kratos.yml -c /etc/config/kratos-settings/overlay.yml --watch-courier\n    environment:\n      DSN: postgres://iam_kratos",
    );
    expect(verify(dir)).toMatch(
      /services.iam-kratos.command: reads \/etc\/config\/kratos\/kratos.yml, which is the host's ..\/dev\/iam-kratos\/kratos.yml, not the checked iam-kratos\/kratos.yml/,
    );
  });

  it("lets a serving Kratos read the settings overlay second, only from its own domain's kratos-settings volume mounted read-only", () => {
    const elsewhere = prodCopy();
    edit(
      path.join(elsewhere, "compose.yml"),
      "-c /etc/config/kratos-prod/kratos.yml -c /etc/config/kratos-settings/overlay.yml --watch-courier\n    environment:\n      DSN: postgres://iam_kratos",
      "-c /etc/config/kratos-prod/kratos.yml -c /etc/config/kratos/kratos.yml --watch-courier\n    environment:\n      DSN: postgres://iam_kratos",
    );
    expect(verify(elsewhere)).toMatch(
      /services.iam-kratos.command: reads \/etc\/config\/kratos\/kratos.yml, which is neither the checked iam-kratos\/kratos.yml nor the settings overlay on the iam-kratos-settings volume mounted read-only/,
    );
    const writable = prodCopy();
    edit(
      path.join(writable, "compose.yml"),
      "- iam-kratos-settings:/etc/config/kratos-settings:ro",
      "- iam-kratos-settings:/etc/config/kratos-settings",
    );
    expect(verify(writable)).toMatch(/services.iam-kratos.command: reads \/etc\/config\/kratos-settings\/overlay.yml, which is neither/);
    const otherDomain = prodCopy();
    edit(
      path.join(otherDomain, "compose.yml"),
      "- iam-kratos-settings:/etc/config/kratos-settings:ro",
      "- ciam-kratos-settings:/etc/config/kratos-settings:ro",
    );
    expect(verify(otherDomain)).toMatch(/services.iam-kratos.command: reads \/etc\/config\/kratos-settings\/overlay.yml, which is neither/);
  });

  it("refuses a Hydra migration reading a file mounted from elsewhere", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "      - ./ciam-hydra:/etc/config/hydra:ro\n    networks: [ciam]\n    depends_on:\n      postgres:",
      "      - ./iam-hydra:/etc/config/hydra:ro\n    networks: [ciam]\n    depends_on:\n      postgres:",
    );
    expect(verify(dir)).toMatch(
      /services.ciam-hydra-migrate.command: reads \/etc\/config\/hydra\/hydra.yml, which is the host's iam-hydra\/hydra.yml, not the checked ciam-hydra\/hydra.yml/,
    );
  });

  it("refuses an entrypoint that would run something other than the command", () => {
    const dir = prodCopy();
    addToService(dir, "iam-kratos", ['entrypoint: ["sh", "-c", "kratos serve -c /tmp/other.yml"]']);
    expect(verify(dir)).toMatch(/services.iam-kratos.entrypoint: replaces the image's own entrypoint/);
  });

  it("refuses --dev, which turns the production safeguards off", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "command: serve all -c /etc/config/hydra/hydra.yml\n    environment:\n      DSN: postgres://ciam_hydra",
      "command: serve all --dev -c /etc/config/hydra/hydra.yml\n    environment:\n      DSN: postgres://ciam_hydra",
    );
    expect(verify(dir)).toMatch(/services.ciam-hydra.command: --dev turns off the production safeguards/);
  });
});
