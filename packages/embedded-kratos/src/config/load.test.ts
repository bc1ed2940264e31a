import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CIAM_CONFIG, IAM_CONFIG } from "../testing/harness";
import { ConfigError, csrfCookieNameFor, loadKratosConfig } from "./load";

function writeConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ek-config-"));
  writeFileSync(
    path.join(dir, "identity.schema.json"),
    JSON.stringify({ type: "object", properties: { traits: { type: "object", properties: { email: { type: "string" } } } } }),
  );
  const file = path.join(dir, "kratos.yml");
  writeFileSync(file, yaml);
  return file;
}

const MINIMAL = `
selfservice:
  default_browser_return_url: http://localhost:3000/
identity:
  default_schema_id: default
  schemas:
    - id: default
      url: file:///etc/config/kratos/identity.schema.json
`;

describe("loadKratosConfig", () => {
  it("reads the CIAM and IAM platform configs without warnings", () => {
    const warnings: string[] = [];
    const ciam = loadKratosConfig(CIAM_CONFIG, { warn: (w) => warnings.push(w) });
    const iam = loadKratosConfig(IAM_CONFIG, { warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(ciam.publicBaseUrl).toBe("http://ciam.localhost:3000/.ory/kratos/");
    expect(ciam.session.cookie.name).toBe("ciam_kratos_session");
    expect(ciam.session.lifespan).toBe(720 * 3_600_000);
    expect(ciam.selfservice.methods.password.config.min_password_length).toBe(8);
    expect(ciam.identity.schemas.map((s) => s.id)).toEqual(["default", "customer", "company"]);
    expect(ciam.identity.schemas[0]?.file).toBe(path.join(path.dirname(CIAM_CONFIG), "identity.default.schema.json"));
    expect(ciam.csrfCookieName).toBe(csrfCookieNameFor("http://ciam.localhost:3000/.ory/kratos/"));
    expect(ciam.secureCookies).toBe(false);
    expect(iam.selfservice.flows.registration.enabled).toBe(false);
    expect(iam.selfservice.methods.password.config.min_password_length).toBe(12);
    expect(iam.session.cookie.persistent).toBe(false);
  });

  it("warns once per unsupported key and applies defaults", () => {
    const warnings: string[] = [];
    const config = loadKratosConfig(writeConfig(`${MINIMAL}\nsomething_new: true\nsession:\n  mystery: 1\n`), {
      warn: (w) => warnings.push(w),
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"something_new"');
    expect(warnings[1]).toContain('"session.mystery"');
    expect(config.hashers.bcrypt.cost).toBe(12);
    expect(config.session.cookie.name).toBe("ory_kratos_session");
    expect(config.selfservice.flows.login.lifespan).toBe(3_600_000);
  });

  it("reads selfservice.methods.passkey without a warning: the passkey strategy acts on it", () => {
    const warnings: string[] = [];
    const config = loadKratosConfig(writeConfig(MINIMAL), {
      overrides: {
        selfservice: { methods: { passkey: { enabled: true, config: { rp: { id: "example.test", display_name: "Example" } } } } },
      },
      warn: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([]);
    expect(config.selfservice.methods.passkey?.enabled).toBe(true);
  });

  it("sets Secure on cookies outside dev mode: https base URL without dev, or cookies.secure", () => {
    const secure = (yaml: string) => loadKratosConfig(writeConfig(`${MINIMAL}${yaml}`), { warn: () => undefined }).secureCookies;
    expect(secure("serve:\n  public:\n    base_url: https://auth.example.test/\n")).toBe(true);
    expect(secure("serve:\n  public:\n    base_url: https://auth.example.test/\ndev: true\n")).toBe(false);
    expect(secure("serve:\n  public:\n    base_url: http://auth.localhost/\n")).toBe(false);
    expect(secure("serve:\n  public:\n    base_url: http://auth.localhost/\ncookies:\n  secure: true\n")).toBe(true);
    expect(secure("serve:\n  public:\n    base_url: https://auth.example.test/\ncookies:\n  secure: false\n")).toBe(false);
  });

  it("fails with the key and the fix for invalid values", () => {
    expect(() => loadKratosConfig(writeConfig(`${MINIMAL}\nsession:\n  lifespan: forever\n`))).toThrow(
      /session\.lifespan: "forever" is not a duration/,
    );
    expect(() => loadKratosConfig(writeConfig(`${MINIMAL}\nhashers:\n  bcrypt:\n    cost: 99\n`))).toThrow(ConfigError);
    expect(() => loadKratosConfig(writeConfig(MINIMAL.replace("default_schema_id: default", "default_schema_id: other")))).toThrow(
      /default_schema_id "other"/,
    );
    expect(() => loadKratosConfig("/does/not/exist.yml")).toThrow(/cannot read/);
  });

  it("merges overrides before validation", () => {
    const config = loadKratosConfig(CIAM_CONFIG, { overrides: { selfservice: { flows: { login: { lifespan: "5m" } } } } });
    expect(config.selfservice.flows.login.lifespan).toBe(300_000);
    expect(config.selfservice.flows.login.ui_url).toBe("http://ciam.localhost:3000/login");
  });
});
