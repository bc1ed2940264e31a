import { describe, expect, it } from "vitest";
import { fromHydraClient, isM2MClient, oauth2ClientInput, toHydraClient } from "./client-input";

const valid = {
  name: "Shop",
  redirectUris: ["https://shop.example.com/callback"],
  postLogoutRedirectUris: [],
  grantTypes: ["authorization_code", "refresh_token"],
  scope: "openid email",
  tokenEndpointAuthMethod: "client_secret_basic",
  firstParty: true,
};

describe("oauth2ClientInput", () => {
  it("accepts a code-flow client and maps first-party to skip_consent", () => {
    const client = toHydraClient(oauth2ClientInput.parse(valid));
    expect(client).toMatchObject({
      client_name: "Shop",
      skip_consent: true,
      response_types: ["code"],
      grant_types: ["authorization_code", "refresh_token"],
    });
    expect(fromHydraClient(client)).toEqual(oauth2ClientInput.parse(valid));
  });

  it("refuses the implicit grant, non-http redirect URIs and code flow without a redirect", () => {
    expect(oauth2ClientInput.safeParse({ ...valid, grantTypes: ["implicit"] }).success).toBe(false);
    expect(oauth2ClientInput.safeParse({ ...valid, redirectUris: ["javascript:alert(1)"] }).success).toBe(false);
    const missing = oauth2ClientInput.safeParse({ ...valid, redirectUris: [] });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path.join("."))).toEqual(["redirectUris"]);
  });

  it("refuses a public client with client credentials", () => {
    expect(oauth2ClientInput.safeParse({ ...valid, grantTypes: ["client_credentials"], tokenEndpointAuthMethod: "none" }).success).toBe(
      false,
    );
  });

  it("recognises machine clients by their grant", () => {
    expect(isM2MClient({ grant_types: ["client_credentials"] })).toBe(true);
    expect(isM2MClient({ grant_types: ["client_credentials", "authorization_code"] })).toBe(false);
  });
});
