import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminOnlyTraits, compileIdentitySchema, checkIdentitySchema } from "./checks/identity-schema";
import { checkHydraConfig, checkKratosConfig } from "./checks/ory-config";
import { oryConfigPath, PLATFORM_DIR } from "./paths";
import { formatProblems } from "./problem";
import { clone, label, ORY_CONFIGS } from "./test-helpers";
import { at, isObject, readYamlObject, type YamlObject } from "./yaml";

function load(stage: "dev" | "prod", domain: "ciam" | "iam", service: "kratos" | "hydra") {
  const file = oryConfigPath(stage, domain, service);
  return { file: label(file), config: readYamlObject(file) };
}

function check(service: "kratos" | "hydra", config: YamlObject, domain: "ciam" | "iam", file = "test") {
  return service === "kratos" ? checkKratosConfig(config, { domain, file }) : checkHydraConfig(config, { domain, file });
}

function set(root: YamlObject, dotted: string, value: string | number | boolean) {
  const keys = dotted.split(".");
  const last = keys.pop() as string;
  let node: YamlObject = root;
  for (const key of keys) {
    const next = node[key];
    if (!isObject(next)) throw new Error(`no mapping at ${key}`);
    node = next;
  }
  node[last] = value;
}

describe("Ory configs as shipped", () => {
  it.each(ORY_CONFIGS)("$stage $domain $service keeps to its own domain", ({ stage, domain, service }) => {
    const { file, config } = load(stage, domain, service);
    expect(formatProblems(check(service, config, domain, file))).toBe("");
  });

  it("gives the two domains distinct cookie names", () => {
    const names = (domain: "ciam" | "iam") => [
      at(load("dev", domain, "kratos").config, "session.cookie.name"),
      ...Object.values(at(load("dev", domain, "hydra").config, "serve.cookies.names") as object),
    ];
    const ciam = names("ciam");
    expect(ciam.filter((n) => names("iam").includes(n))).toEqual([]);
  });

  it("sets no parent cookie domain anywhere", () => {
    for (const { stage, domain, service } of ORY_CONFIGS) {
      const config = load(stage, domain, service).config;
      expect(at(config, "cookies.domain")).toBeUndefined();
      expect(at(config, "session.cookie.domain")).toBeUndefined();
      expect(at(config, "serve.cookies.domain")).toBeUndefined();
    }
  });

  it("keeps IAM stricter than CIAM", () => {
    const ciam = load("dev", "ciam", "kratos").config;
    const iam = load("dev", "iam", "kratos").config;
    const minLength = (c: YamlObject) => at(c, "selfservice.methods.password.config.min_password_length") as number;
    expect(minLength(iam)).toBeGreaterThan(minLength(ciam));
    expect(at(iam, "selfservice.flows.registration.enabled")).toBe(false);
    expect(at(iam, "selfservice.flows.settings.required_aal")).toBe("highest_available");
  });

  it("uses a 32-character cipher secret in development, as Kratos requires", () => {
    for (const domain of ["ciam", "iam"] as const) {
      const cipher = at(load("dev", domain, "kratos").config, "secrets.cipher");
      expect(Array.isArray(cipher) && cipher.every((s) => typeof s === "string" && s.length === 32)).toBe(true);
    }
  });
});

describe("Ory config checks catch a boundary broken on purpose", () => {
  it.each([
    ["kratos", "serve.admin.port", 4101, /serve.admin.port: must be 3101/],
    ["kratos", "serve.public.base_url", "http://iam.localhost:4100/", /other domain/],
    ["kratos", "dsn", "postgres://iam_kratos:pw@127.0.0.1:5432/iam_kratos", /must connect as role "ciam_kratos"/],
    ["kratos", "session.cookie.domain", "localhost", /would share cookies beyond/],
    ["kratos", "session.cookie.domain", "iam.localhost", /would share cookies beyond/],
    ["kratos", "cookies.domain", ".localhost", /would share cookies beyond/],
    ["kratos", "session.cookie.name", "iam_kratos_session", /must be set and start with "ciam_"/],
    ["kratos", "selfservice.flows.login.ui_url", "http://iam.localhost:4000/login", /other domain/],
    ["kratos", "selfservice.flows.registration.enabled", false, /CIAM registration must be enabled/],
    ["hydra", "serve.public.port", 4102, /serve.public.port: must be 3102/],
    ["hydra", "urls.consent", "http://iam.localhost:4000/consent", /other domain/],
    ["hydra", "dsn", "postgres://ciam_hydra:pw@127.0.0.1:5432/iam_hydra", /must open database "ciam_hydra"/],
    ["hydra", "serve.cookies.names.session", "ory_hydra_session", /start with "ciam_"/],
    ["hydra", "version", "latest", /must pin v26.2.0/],
  ] as const)("CIAM %s with %s = %s", (service, key, value, expected) => {
    const config = clone(load("dev", "ciam", service).config);
    set(config, key, value);
    expect(formatProblems(check(service, config, "ciam"))).toMatch(expected);
  });

  it.each([
    ["dev", "ciam"],
    ["dev", "iam"],
    ["prod", "ciam"],
    ["prod", "iam"],
  ] as const)("%s %s Kratos ends other sessions after a new password and after recovery", (stage, domain) => {
    const config = load(stage, domain, "kratos").config;
    expect(at(config, "selfservice.flows.settings.after.password.hooks")).toEqual([{ hook: "revoke_active_sessions" }]);
    expect(at(config, "selfservice.flows.recovery.after.hooks")).toEqual([{ hook: "revoke_active_sessions" }]);
  });

  it("Kratos without revoke_active_sessions after a password change or a recovery", () => {
    const config = clone(load("prod", "iam", "kratos").config);
    set(config, "selfservice.flows.settings.after.password.hooks", "none");
    (at(config, "selfservice.flows.recovery.after") as YamlObject).hooks = [{ hook: "web_hook" }];
    const problems = formatProblems(check("kratos", config, "iam"));
    expect(problems).toMatch(/settings.after.password.hooks: must include revoke_active_sessions/);
    expect(problems).toMatch(/recovery.after.hooks: must include revoke_active_sessions/);
  });

  it("IAM with self-registration turned on", () => {
    const config = clone(load("dev", "iam", "kratos").config);
    set(config, "selfservice.flows.registration.enabled", true);
    expect(formatProblems(check("kratos", config, "iam"))).toMatch(/IAM self-registration must be disabled/);
  });

  it("IAM pointing its courier templates at a missing file", () => {
    const config = clone(load("dev", "iam", "kratos").config);
    set(config, "courier.templates.recovery_code.valid.email.subject", "file:///etc/config/kratos/templates/nope.gotmpl");
    expect(formatProblems(check("kratos", config, "iam"))).toMatch(/refers to a missing file/);
  });

  it("CIAM listing the IAM admin schema", () => {
    const config = clone(load("dev", "ciam", "kratos").config);
    const schemas = at(config, "identity.schemas") as YamlObject[];
    schemas.push({ id: "admin", url: "file:///etc/config/kratos/identity.default.schema.json" });
    expect(formatProblems(check("kratos", config, "ciam"))).toMatch(/"admin" is not a ciam schema/);
  });
});

describe("identity schemas", () => {
  const schemaFiles = ["ciam", "iam"].flatMap((domain) => {
    const dir = path.join(PLATFORM_DIR, "dev", `${domain}-kratos`);
    return readdirSync(dir)
      .filter((f) => f.endsWith(".schema.json"))
      .map((f) => path.join(dir, f));
  });

  it("ships the four schemas", () => {
    expect(schemaFiles.map((f) => path.basename(f)).sort()).toEqual([
      "identity.admin.schema.json",
      "identity.company.schema.json",
      "identity.customer.schema.json",
      "identity.default.schema.json",
    ]);
  });

  it.each(schemaFiles.map((f) => [path.basename(f), f]))("%s compiles and marks email as identifier and address", (_name, file) => {
    expect(() => compileIdentitySchema(file)).not.toThrow();
    expect(checkIdentitySchema(file)).toEqual([]);
  });

  it("the IAM admin schema has no Athena role: it is admin-only data (metadata_admin), never a trait", () => {
    const validate = compileIdentitySchema(path.join(PLATFORM_DIR, "dev/iam-kratos/identity.admin.schema.json"));
    const employee = { traits: { email: "ada@olympus.example", name: { first: "Ada", last: "Lovelace" } } };
    expect(validate(employee)).toBe(true);
    expect(validate({ traits: { ...employee.traits, iam_admin_role: "admin" } })).toBe(false);
    expect(validate({ traits: { ...employee.traits, iam_admin_role: "viewer" } })).toBe(false);
    expect(validate({ traits: { ...employee.traits, name: { first: "Ada" } } })).toBe(false);
    expect(validate({ traits: { ...employee.traits, email: "not-an-email" } })).toBe(false);
  });

  it.each(schemaFiles.map((f) => [path.basename(f), f]))("%s declares no admin-only trait", (_name, file) => {
    expect(adminOnlyTraits(file)).toEqual([]);
  });

  it("customer traits are validated, unknown traits and business attributes (admin-only: metadata_admin) refused", () => {
    const validate = compileIdentitySchema(path.join(PLATFORM_DIR, "dev/ciam-kratos/identity.customer.schema.json"));
    expect(validate({ traits: { email: "c@example.com", phone: "+491701234567" } })).toBe(true);
    expect(validate({ traits: { email: "c@example.com", phone: "12" } })).toBe(false);
    expect(validate({ traits: { email: "c@example.com", is_admin: true } })).toBe(false);
    expect(validate({ traits: { email: "c@example.com", loyalty_tier: "gold" } })).toBe(false);
    expect(validate({ traits: { email: "c@example.com", customer_id: "C-1001" } })).toBe(false);
  });
});
