import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientsFileProblems, oauth2ClientsFile, toClientDefinition } from "@olympus/ory-client/bootstrap";
import { EMBEDDED_ATHENA_CLIENTS } from "../embedded-defaults";
import { DEFAULT_PORTS } from "../options";
import { PLATFORM_DIR } from "../paths";
import { clientSeeds } from "./dev-seeds";

describe("seeded OAuth2 clients", () => {
  const seeds = clientSeeds(DEFAULT_PORTS);

  it("registers both Athenas in IAM Hydra with their next-auth callbacks", () => {
    expect(seeds.iam.map((c) => [c.client_id, c.redirect_uris])).toEqual([
      ["iam-athena-ciam", ["http://ciam.localhost:3001/api/auth/callback/olympus-iam"]],
      ["iam-athena-iam", ["http://iam.localhost:4001/api/auth/callback/olympus-iam"]],
    ]);
    for (const client of seeds.iam) {
      expect(client).toMatchObject({
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope: "openid offline_access email profile",
        token_endpoint_auth_method: "client_secret_basic",
        metadata: { first_party: true },
      });
    }
  });

  it("uses the client ids, secrets and redirects each Athena is started with", () => {
    for (const [index, domain] of (["ciam", "iam"] as const).entries()) {
      const expected = EMBEDDED_ATHENA_CLIENTS[domain];
      expect(seeds.iam[index]).toMatchObject({
        client_id: expected.clientId,
        client_secret: expected.clientSecret,
        redirect_uris: [expected.redirectUri],
        post_logout_redirect_uris: [expected.postLogoutRedirectUri],
      });
    }
  });

  it("registers a demo relying party in CIAM Hydra that skips consent", () => {
    expect(seeds.ciam).toEqual([
      expect.objectContaining({
        client_id: "ciam-demo-rp",
        redirect_uris: ["http://ciam.localhost:3002/callback"],
        post_logout_redirect_uris: ["http://ciam.localhost:3002/"],
        skip_consent: true,
      }),
    ]);
  });

  it("keeps client ids distinct across the two Hydras, each prefixed with its Hydra's domain", () => {
    const ids = [...seeds.iam.map((c) => c.client_id), ...seeds.ciam.map((c) => c.client_id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(seeds.iam.every((c) => c.client_id.startsWith("iam-"))).toBe(true);
    expect(seeds.ciam.every((c) => c.client_id.startsWith("ciam-"))).toBe(true);
    const secrets = [...seeds.iam, ...seeds.ciam].map((c) => c.client_secret);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it("are the clients the Docker dev stack's bootstrap registers (platform/dev/oauth2-clients.yml)", () => {
    const file = oauth2ClientsFile.parse(parse(readFileSync(path.join(PLATFORM_DIR, "dev", "oauth2-clients.yml"), "utf8")));
    expect(clientsFileProblems(file)).toEqual([]);
    const secrets: Record<string, string> = {
      CIAM_ATHENA_CLIENT_SECRET: EMBEDDED_ATHENA_CLIENTS.ciam.clientSecret,
      IAM_ATHENA_CLIENT_SECRET: EMBEDDED_ATHENA_CLIENTS.iam.clientSecret,
    };
    expect(file.iam.map((entry) => toClientDefinition(entry, secrets[entry.client_secret_env ?? ""]))).toEqual(seeds.iam);
  });
});
