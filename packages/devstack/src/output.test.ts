import { describe, expect, it } from "vitest";
import { EMBEDDED_ADMIN_API_TOKEN } from "./embedded-defaults";
import { DEFAULT_PORTS } from "./options";
import { renderReadyTable } from "./output";
import { devstackUrls } from "./urls";

const urls = devstackUrls(DEFAULT_PORTS, { host: "127.0.0.1", port: 5432 });
const adminTokens = EMBEDDED_ADMIN_API_TOKEN;

describe("the ready table", () => {
  it("lists every app, API and the inbox, admin APIs on 127.0.0.1 only, and the seeded admin", () => {
    const table = renderReadyTable({
      urls,
      admin: { email: "admin@olympus.local", password: "dev-password-change-me", passwordFromEnv: false },
      adminTokens,
      apps: true,
      dataDir: ".olympus",
    });
    for (const url of [
      "http://ciam.localhost:3000",
      "http://ciam.localhost:3001",
      "http://iam.localhost:4000",
      "http://iam.localhost:4001",
      "http://ciam.localhost:3100",
      "http://iam.localhost:4100",
      "http://ciam.localhost:3102",
      "http://iam.localhost:4102",
      "http://127.0.0.1:3101",
      "http://127.0.0.1:3103",
      "http://127.0.0.1:4101",
      "http://127.0.0.1:4103",
      "http://localhost:1080",
      "http://ciam.localhost:3002",
    ]) {
      expect(table).toContain(url);
    }
    expect(table).not.toMatch(/localhost:(3101|3103|4101|4103)/);
    expect(table).toContain("admin@olympus.local  /  dev-password-change-me");
    expect(table).not.toContain("olympus_dev_password");
  });

  it("says the admin APIs need a bearer token, and which one each domain's servers were started with", () => {
    const table = renderReadyTable({
      urls,
      admin: { email: "admin@olympus.local", password: "dev-password-change-me", passwordFromEnv: false },
      adminTokens,
      apps: true,
      dataDir: ".olympus",
    });
    expect(table).toContain(`CIAM ${EMBEDDED_ADMIN_API_TOKEN.ciam}`);
    expect(table).toContain(`IAM ${EMBEDDED_ADMIN_API_TOKEN.iam}`);
    expect(table).toContain("Authorization: Bearer <token>");
    expect(table).toContain(`curl -H 'Authorization: Bearer ${EMBEDDED_ADMIN_API_TOKEN.iam}' http://127.0.0.1:4101/admin/identities`);
  });

  it("says how long the start took and when each phase ended", () => {
    const timings = {
      totalSeconds: 23.44,
      marks: [
        { phase: "postgres", atSeconds: 2.04 },
        { phase: "servers", atSeconds: 6.3 },
        { phase: "apps", atSeconds: 23.4 },
      ],
    };
    const table = renderReadyTable({
      urls,
      admin: { email: "admin@olympus.local", password: "x", passwordFromEnv: false },
      adminTokens,
      apps: true,
      dataDir: ".olympus",
      timings,
    });
    expect(table).toContain("Olympus dev stack — ready in 23.4 s (postgres 2.0 s, servers 6.3 s, apps 23.4 s after start)");
  });

  it("never prints a password that came from the environment", () => {
    const table = renderReadyTable({
      urls,
      admin: { email: "ops@example.com", password: "my-own-secret-value", passwordFromEnv: true },
      adminTokens,
      apps: false,
      dataDir: ".olympus",
    });
    expect(table).not.toContain("my-own-secret-value");
    expect(table).toContain("OLYMPUS_ADMIN_PASSWORD");
    expect(table).toContain("OLYMPUS_DEV_APPS=0");
  });
});
