import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adaptCaddyfile, checkCaddyRoutes, domainOfPublicHost, validateCaddyfile } from "./checks/caddy";
import { PLATFORM_DIR } from "./paths";
import { formatProblems } from "./problem";

const CADDYFILE = path.join(PLATFORM_DIR, "caddy", "Caddyfile");
const PARENT = "localhost";

function checkFile(file: string, env: Record<string, string> = {}) {
  return formatProblems(checkCaddyRoutes(adaptCaddyfile(file, { DOMAIN: PARENT, ...env }), PARENT, path.basename(file)));
}

/** A copy of the real Caddyfile with one replacement, for breaking on purpose. */
function brokenCopy(from: string, to: string): string {
  const original = readFileSync(CADDYFILE, "utf8");
  expect(original).toContain(from);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-caddy-")), "Caddyfile");
  writeFileSync(file, original.replace(from, to));
  return file;
}

describe("platform/caddy/Caddyfile (Debian caddy)", () => {
  it("passes caddy validate", () => {
    expect(() => validateCaddyfile(CADDYFILE, { DOMAIN: PARENT })).not.toThrow();
  });

  it("routes each host only to its own domain and never to an admin port", () => {
    expect(checkFile(CADDYFILE)).toBe("");
  });

  it("serves the four public hosts", () => {
    const json = JSON.stringify(adaptCaddyfile(CADDYFILE, { DOMAIN: PARENT }));
    for (const host of ["ciam.localhost", "admin.ciam.localhost", "iam.localhost", "admin.iam.localhost"])
      expect(json).toContain(`"${host}"`);
  });

  it("names the domain of each public host", () => {
    expect(domainOfPublicHost("admin.ciam.example.com", "example.com")).toBe("ciam");
    expect(domainOfPublicHost("iam.example.com", "example.com")).toBe("iam");
    expect(domainOfPublicHost("www.example.com", "example.com")).toBeUndefined();
  });
});

describe("Caddy checks catch a boundary broken on purpose", () => {
  it("a CIAM host sent to the IAM Hera", () => {
    expect(checkFile(brokenCopy("{$CIAM_HERA_UPSTREAM:ciam-hera:3000}", "iam-hera:4000"))).toMatch(
      /ciam.localhost: routes to iam-hera:4000, which is not an upstream of the ciam domain/,
    );
  });

  it("an IAM host sent to CIAM Hera (and so to CIAM Kratos through its proxy) through an env override", () => {
    expect(checkFile(CADDYFILE, { IAM_HERA_UPSTREAM: "127.0.0.1:3000" })).toMatch(/iam.localhost: routes to 127.0.0.1:3000/);
  });

  it("an admin port routed", () => {
    expect(checkFile(brokenCopy("{$IAM_HYDRA_PUBLIC_UPSTREAM:iam-hydra:4102}", "iam-hydra:4103"))).toMatch(/routes to admin port 4103/);
  });

  it("a catch-all site with no host", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "olympus-caddy-")), "Caddyfile");
    writeFileSync(file, "{\n\tadmin off\n}\n:8080 {\n\treverse_proxy iam-kratos:4101\n}\n");
    expect(checkFile(file)).toMatch(/a route matches no host/);
  });
});
