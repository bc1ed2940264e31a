import path from "node:path";
import { describe, expect, it } from "vitest";
import { edit, goodEnv, prodCopy, SHIPPED_PROD_DIR, verify } from "./test-support";

describe("verify-config", () => {
  it("accepts the shipped production configuration with strong secrets", () => {
    expect(verify(SHIPPED_PROD_DIR)).toBe("");
  });

  it("refuses a Caddy route sending a CIAM host to an IAM upstream", () => {
    const env = { ...goodEnv(), CIAM_HERA_UPSTREAM: "iam-hera:4000" };
    expect(verify(prodCopy(), env)).toMatch(
      /Caddyfile:ciam.example.com: routes to iam-hera:4000, which is not an upstream of the ciam domain/,
    );
  });

  it("refuses a Caddy route sending an IAM host to a CIAM upstream", () => {
    const env = { ...goodEnv(), IAM_HYDRA_PUBLIC_UPSTREAM: "ciam-hydra:3102" };
    expect(verify(prodCopy(), env)).toMatch(/iam.example.com: routes to ciam-hydra:3102, which is not an upstream of the iam domain/);
  });

  it("refuses a cookie domain set to the parent domain", () => {
    const dir = prodCopy();
    edit(path.join(dir, "ciam-kratos", "kratos.yml"), "cookies:\n  path: /", "cookies:\n  domain: example.com\n  path: /");
    expect(verify(dir)).toMatch(/ciam-kratos\/kratos.yml:cookies.domain: "example.com" would share cookies beyond this domain's own host/);
  });

  it("refuses a Hydra cookie domain on the parent domain", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "iam-hydra", "hydra.yml"),
      "  cookies:\n    same_site_mode: Lax",
      "  cookies:\n    domain: .example.com\n    same_site_mode: Lax",
    );
    expect(verify(dir)).toMatch(/iam-hydra\/hydra.yml:serve.cookies.domain/);
  });

  it("refuses two Ory services sharing a DSN", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "      DSN: postgres://iam_kratos:${IAM_KRATOS_DB_PASSWORD:?set IAM_KRATOS_DB_PASSWORD}@postgres:5432/iam_kratos?sslmode=${DB_SSLMODE:-prefer}\n      SECRETS_COOKIE",
      "      DSN: postgres://ciam_kratos:${CIAM_KRATOS_DB_PASSWORD:?set CIAM_KRATOS_DB_PASSWORD}@postgres:5432/ciam_kratos?sslmode=${DB_SSLMODE:-prefer}\n      SECRETS_COOKIE",
    );
    const report = verify(dir);
    expect(report).toMatch(/services.iam-kratos: shares its DSN/);
    expect(report).toMatch(/services.iam-kratos: shares its database role "ciam_kratos" with ciam-kratos/);
  });

  it("refuses two Ory services sharing a database role", () => {
    const dir = prodCopy();
    edit(
      path.join(dir, "compose.yml"),
      "      DSN: postgres://ciam_hydra:${CIAM_HYDRA_DB_PASSWORD:?set CIAM_HYDRA_DB_PASSWORD}@postgres:5432/ciam_hydra?sslmode=${DB_SSLMODE:-prefer}\n      SECRETS_SYSTEM",
      "      DSN: postgres://ciam_kratos:${CIAM_KRATOS_DB_PASSWORD:?set CIAM_KRATOS_DB_PASSWORD}@postgres:5432/ciam_hydra?sslmode=${DB_SSLMODE:-prefer}\n      SECRETS_SYSTEM",
    );
    expect(verify(dir)).toMatch(/services.ciam-hydra: shares its database role "ciam_kratos" with ciam-kratos/);
  });

  it("refuses the same OAuth2 client id on both domains", () => {
    const dir = prodCopy();
    edit(path.join(dir, "oauth2-clients.yml"), "ciam: []", "ciam:\n  - client_id: iam-athena-ciam\n    client_name: copy");
    expect(verify(dir)).toMatch(/client id "iam-athena-ciam" is registered in both CIAM and IAM Hydra/);
  });

  it.each([
    ["missing", undefined, /ENCRYPTION_KEY: is missing/],
    ["too short", "short-key", /ENCRYPTION_KEY: must be at least 32 bytes, got 9/],
    ["an example value", "change-me-change-me-change-me-change-me", /ENCRYPTION_KEY: is an example value/],
  ])("refuses an ENCRYPTION_KEY that is %s", (_what, value, expected) => {
    const { ENCRYPTION_KEY: _drop, ...rest } = goodEnv();
    const env = value === undefined ? rest : { ...rest, ENCRYPTION_KEY: value };
    expect(verify(prodCopy(), env)).toMatch(expected);
  });
});
