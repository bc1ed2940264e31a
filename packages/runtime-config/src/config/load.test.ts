import { describe, expect, it } from "vitest";
import { InvalidConfigError } from "./errors";
import { loadConfig, type Env } from "./load";

const ciamEnv: Env = {
  DOMAIN: "ciam",
  KRATOS_PUBLIC_URL: "http://ciam.localhost:3100/",
  KRATOS_ADMIN_URL: "http://127.0.0.1:3101",
  HYDRA_PUBLIC_URL: "http://ciam.localhost:3102",
  HYDRA_ADMIN_URL: "http://127.0.0.1:3103",
  PUBLIC_URL: "http://ciam.localhost:3000",
  COOKIE_SECRET: "a-very-long-cookie-secret-for-tests-0001",
};

const iamEnv: Env = {
  DOMAIN: "iam",
  IAM_KRATOS_PUBLIC_URL: "http://iam.localhost:4100",
  IAM_KRATOS_ADMIN_URL: "http://127.0.0.1:4101",
  IAM_HYDRA_PUBLIC_URL: "http://iam.localhost:4102",
  IAM_HYDRA_ADMIN_URL: "http://127.0.0.1:4103",
  IAM_PUBLIC_URL: "http://iam.localhost:4000",
  IAM_COOKIE_SECRET: "a-very-long-cookie-secret-for-tests-0002",
};

/** Loads the config and returns the one-line message it fails with. */
function rejection(env: Env): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    const message = (error as InvalidConfigError).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("loadConfig: accepted configurations", () => {
  it("reads a CIAM instance from plain variables, normalising URLs", () => {
    const config = loadConfig(ciamEnv);
    expect(config.domain).toBe("ciam");
    expect(config.kratos).toEqual({ publicUrl: "http://ciam.localhost:3100", adminUrl: "http://127.0.0.1:3101" });
    expect(config.hydra.adminUrl).toBe("http://127.0.0.1:3103");
    expect(config.publicUrl).toBe("http://ciam.localhost:3000");
    expect(config.environment).toBe("production");
  });

  it("reads an IAM instance from prefixed variables with IAM's own default branding", () => {
    const config = loadConfig(iamEnv);
    expect(config.domain).toBe("iam");
    expect(config.kratos.adminUrl).toBe("http://127.0.0.1:4101");
    expect(config.branding.productName).toBe("Olympus Workforce");
    expect(config.branding.primaryColor).not.toBe(loadConfig(ciamEnv).branding.primaryColor);
  });

  it("accepts plain and prefixed forms of the same value when they agree", () => {
    const config = loadConfig({ ...ciamEnv, CIAM_KRATOS_ADMIN_URL: "http://127.0.0.1:3101" });
    expect(config.kratos.adminUrl).toBe("http://127.0.0.1:3101");
  });

  it("accepts Compose service names and production hosts of its own domain", () => {
    const config = loadConfig({
      ...ciamEnv,
      KRATOS_ADMIN_URL: "http://ciam-kratos:3101",
      PUBLIC_URL: "https://ciam.example.com",
    });
    expect(config.publicUrl).toBe("https://ciam.example.com");
  });

  it("has no browser-facing Kratos URL: browsers reach Kratos through Hera's own origin", () => {
    expect(Object.keys(loadConfig(ciamEnv))).not.toContain("browser");
  });

  it("takes branding overrides", () => {
    const config = loadConfig({
      ...ciamEnv,
      BRAND_PRODUCT_NAME: "Acme Shop",
      BRAND_PRIMARY_COLOR: "#112233",
      BRAND_LOGO_PATH: "/brand/acme.svg",
      BRAND_SUPPORT_URL: "https://help.acme.example/",
    });
    expect(config.branding).toMatchObject({
      productName: "Acme Shop",
      primaryColor: "#112233",
      logoPath: "/brand/acme.svg",
      supportUrl: "https://help.acme.example/",
    });
  });

  it("requires a second factor on IAM and not on CIAM by default, with no grace period", () => {
    expect(loadConfig(iamEnv).mfa).toEqual({ required: true, graceDays: 0 });
    expect(loadConfig(ciamEnv).mfa).toEqual({ required: false, graceDays: 0 });
  });

  it("reads MFA_REQUIRED and MFA_GRACE_DAYS plain or with the domain's prefix", () => {
    expect(loadConfig({ ...iamEnv, IAM_MFA_GRACE_DAYS: "14" }).mfa).toEqual({ required: true, graceDays: 14 });
    expect(loadConfig({ ...iamEnv, MFA_REQUIRED: "false" }).mfa).toEqual({ required: false, graceDays: 0 });
    expect(loadConfig({ ...ciamEnv, CIAM_MFA_REQUIRED: "True", MFA_GRACE_DAYS: "365" }).mfa).toEqual({ required: true, graceDays: 365 });
  });

  it("accepts example secrets in development only", () => {
    const dev = { ...ciamEnv, OLYMPUS_ENV: "development", COOKIE_SECRET: "dev-cookie-secret-ciam-0123456789abcdef" };
    expect(loadConfig(dev).secrets.cookieSecret).toBe("dev-cookie-secret-ciam-0123456789abcdef");
    expect(rejection({ ...dev, OLYMPUS_ENV: "production" })).toMatch(/COOKIE_SECRET: is an example value/);
  });
});

describe("loadConfig: rejections name the variable", () => {
  it("rejects a missing DOMAIN", () => {
    const { DOMAIN: _omit, ...env } = ciamEnv;
    expect(rejection(env)).toMatch(/DOMAIN: is missing/);
  });

  it("rejects an unknown DOMAIN", () => {
    expect(rejection({ ...ciamEnv, DOMAIN: "staff" })).toMatch(/DOMAIN: must be "ciam" or "iam", got "staff"/);
  });

  it.each(["KRATOS_PUBLIC_URL", "KRATOS_ADMIN_URL", "HYDRA_PUBLIC_URL", "HYDRA_ADMIN_URL", "PUBLIC_URL"])(
    "rejects a missing %s, suggesting both spellings",
    (name) => {
      const env = { ...ciamEnv, [name]: undefined };
      expect(rejection(env)).toContain(`${name}: is missing; set ${name} or CIAM_${name}`);
    },
  );

  it("treats an empty value as missing", () => {
    expect(rejection({ ...ciamEnv, KRATOS_ADMIN_URL: "  " })).toContain("KRATOS_ADMIN_URL: is missing");
  });

  it("rejects a malformed URL", () => {
    expect(rejection({ ...ciamEnv, KRATOS_ADMIN_URL: "not a url" })).toContain('KRATOS_ADMIN_URL: is not a valid URL: "not a url"');
  });

  it("rejects a non-http URL", () => {
    expect(rejection({ ...ciamEnv, HYDRA_ADMIN_URL: "ftp://127.0.0.1:3103" })).toContain("HYDRA_ADMIN_URL: must be an http(s) URL");
  });

  it("rejects credentials embedded in a URL", () => {
    expect(rejection({ ...ciamEnv, HYDRA_ADMIN_URL: "http://user:pw@127.0.0.1:3103" })).toContain(
      "HYDRA_ADMIN_URL: must not carry credentials",
    );
  });

  it("rejects a CIAM instance holding an IAM admin URL", () => {
    expect(rejection({ ...ciamEnv, IAM_KRATOS_ADMIN_URL: "http://127.0.0.1:4101" })).toContain(
      "IAM_KRATOS_ADMIN_URL: belongs to the iam domain but this instance has DOMAIN=ciam; remove it",
    );
  });

  it("rejects an IAM instance holding any CIAM value", () => {
    expect(rejection({ ...iamEnv, CIAM_HYDRA_ADMIN_URL: "http://127.0.0.1:3103" })).toContain(
      "CIAM_HYDRA_ADMIN_URL: belongs to the ciam domain",
    );
    expect(rejection({ ...iamEnv, CIAM_COOKIE_SECRET: "x".repeat(40) })).toContain("CIAM_COOKIE_SECRET: belongs to the ciam domain");
  });

  it("rejects a URL on the other domain's port range", () => {
    expect(rejection({ ...ciamEnv, KRATOS_ADMIN_URL: "http://127.0.0.1:4101" })).toContain(
      "KRATOS_ADMIN_URL: port 4101 is in the iam range (4000-4999) but DOMAIN=ciam",
    );
    expect(rejection({ ...iamEnv, IAM_HYDRA_ADMIN_URL: "http://127.0.0.1:3103" })).toContain(
      "IAM_HYDRA_ADMIN_URL: port 3103 is in the ciam range (3000-3999) but DOMAIN=iam",
    );
  });

  it("rejects a URL whose host belongs to the other domain", () => {
    expect(rejection({ ...ciamEnv, HYDRA_ADMIN_URL: "http://iam-hydra:3103" })).toContain(
      'HYDRA_ADMIN_URL: host "iam-hydra" belongs to the iam domain but DOMAIN=ciam',
    );
    expect(rejection({ ...iamEnv, IAM_PUBLIC_URL: "https://ciam.example.com" })).toContain(
      'host "ciam.example.com" belongs to the ciam domain',
    );
  });

  it("rejects plain and prefixed values that disagree", () => {
    expect(rejection({ ...ciamEnv, CIAM_KRATOS_ADMIN_URL: "http://127.0.0.1:3199" })).toContain(
      "KRATOS_ADMIN_URL: conflicts with CIAM_KRATOS_ADMIN_URL",
    );
  });

  it("rejects a missing or short cookie secret", () => {
    expect(rejection({ ...ciamEnv, COOKIE_SECRET: undefined })).toContain("COOKIE_SECRET: is missing");
    expect(rejection({ ...ciamEnv, COOKIE_SECRET: "short" })).toContain("COOKIE_SECRET: must be at least 32 characters, got 5");
  });

  it("rejects a short admin API token", () => {
    expect(rejection({ ...ciamEnv, ADMIN_API_TOKEN: "tiny" })).toContain("ADMIN_API_TOKEN: must be at least 32 characters");
  });

  it("rejects invalid branding", () => {
    expect(rejection({ ...ciamEnv, BRAND_PRIMARY_COLOR: "blue" })).toContain("BRAND_PRIMARY_COLOR: must be a colour like #2563eb");
    expect(rejection({ ...ciamEnv, BRAND_LOGO_PATH: "https://cdn.example.com/x.svg" })).toContain(
      "BRAND_LOGO_PATH: must be an absolute path",
    );
    expect(rejection({ ...ciamEnv, BRAND_LOGO_PATH: "/brand/../../etc/passwd" })).toContain("BRAND_LOGO_PATH: must not contain '..'");
    expect(rejection({ ...ciamEnv, BRAND_PRODUCT_NAME: "x".repeat(61) })).toContain("BRAND_PRODUCT_NAME: must be at most 60 characters");
    expect(rejection({ ...ciamEnv, BRAND_SUPPORT_URL: "javascript:alert(1)" })).toContain(
      "BRAND_SUPPORT_URL: must be an http(s) or mailto: URL",
    );
  });

  it("refuses a leftover KRATOS_BROWSER_URL (Hera serves Kratos' public API itself now), and the other domain's edge settings", () => {
    expect(rejection({ ...ciamEnv, KRATOS_BROWSER_URL: "http://ciam.localhost:3100" })).toContain(
      "KRATOS_BROWSER_URL: is no longer read: browsers no longer call Kratos directly",
    );
    expect(rejection({ ...ciamEnv, CIAM_KRATOS_BROWSER_URL: "http://ciam.localhost:3100" })).toContain(
      "CIAM_KRATOS_BROWSER_URL: is no longer read",
    );
    expect(rejection({ ...ciamEnv, IAM_KRATOS_BROWSER_URL: "http://127.0.0.1:3100" })).toContain(
      "IAM_KRATOS_BROWSER_URL: belongs to the iam domain",
    );
    expect(rejection({ ...ciamEnv, IAM_LIMITS_FILE: "/etc/olympus/limits.yml" })).toContain("IAM_LIMITS_FILE: belongs to the iam domain");
  });

  it("rejects an MFA policy that is not a yes/no and a whole number of days up to a year", () => {
    expect(rejection({ ...iamEnv, IAM_MFA_REQUIRED: "yes" })).toContain('IAM_MFA_REQUIRED: must be "true" or "false", got "yes"');
    for (const value of ["-1", "1.5", "366", "7d", "1000"]) {
      expect(rejection({ ...iamEnv, MFA_GRACE_DAYS: value })).toContain(
        `MFA_GRACE_DAYS: must be a whole number of days from 0 to 365, got "${value}"`,
      );
    }
    expect(rejection({ ...iamEnv, MFA_REQUIRED: "true", IAM_MFA_REQUIRED: "false" })).toContain(
      "MFA_REQUIRED: conflicts with IAM_MFA_REQUIRED",
    );
  });

  it("rejects the other domain's MFA policy (a CIAM instance must not hold IAM_MFA_REQUIRED)", () => {
    expect(rejection({ ...ciamEnv, IAM_MFA_REQUIRED: "true" })).toContain("IAM_MFA_REQUIRED: belongs to the iam domain");
    expect(rejection({ ...iamEnv, CIAM_MFA_GRACE_DAYS: "3" })).toContain("CIAM_MFA_GRACE_DAYS: belongs to the ciam domain");
  });

  it("rejects an unknown OLYMPUS_ENV", () => {
    expect(rejection({ ...ciamEnv, OLYMPUS_ENV: "staging" })).toContain('OLYMPUS_ENV: must be "development" or "production"');
  });

  it("rejects NEXT_PUBLIC_* variables that would bake the domain into the build", () => {
    expect(rejection({ ...ciamEnv, NEXT_PUBLIC_DOMAIN: "ciam" })).toContain(
      "NEXT_PUBLIC_DOMAIN: NEXT_PUBLIC_* values are baked into the build",
    );
    expect(rejection({ ...ciamEnv, NEXT_PUBLIC_KRATOS_URL: "http://ciam.localhost:3100" })).toContain("NEXT_PUBLIC_KRATOS_URL");
    expect(loadConfig({ ...ciamEnv, NEXT_PUBLIC_SUPPORT_EMAIL: "help@example.com" }).domain).toBe("ciam");
  });

  it("reports every problem at once, on one line, first one in full", () => {
    const message = rejection({ DOMAIN: "ciam", KRATOS_PUBLIC_URL: "nope", IAM_HYDRA_ADMIN_URL: "http://127.0.0.1:4103" });
    expect(message).toMatch(/^Invalid Olympus configuration: IAM_HYDRA_ADMIN_URL: belongs to the iam domain/);
    expect(message).toMatch(/and \d+ more: .*KRATOS_PUBLIC_URL.*COOKIE_SECRET/);
  });
});
