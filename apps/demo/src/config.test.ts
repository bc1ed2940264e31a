import { describe, expect, it } from "vitest";
import { loadDemoConfig } from "./config";
import { embeddedDemoEnv } from "./embedded-env";

const valid = {
  DEMO_ISSUER_URL: "https://ciam.example.com/",
  DEMO_CLIENT_ID: "ciam-demo-rp",
  DEMO_CLIENT_SECRET: "s3cret",
  DEMO_PUBLIC_URL: "https://shop.example.com",
  DEMO_PORT: "3002",
};

describe("loadDemoConfig", () => {
  it("derives the redirect URIs from the public origin and secures cookies over https", () => {
    const config = loadDemoConfig(valid);
    expect(config.issuer.href).toBe("https://ciam.example.com/");
    expect(config.redirectUri).toBe("https://shop.example.com/callback");
    expect(config.postLogoutRedirectUri).toBe("https://shop.example.com/");
    expect(config.port).toBe(3002);
    expect(config.host).toBe("127.0.0.1");
    expect(config.scope).toBe("openid email profile");
    expect(config.secureCookies).toBe(true);
  });

  it("matches what the devstack seeds for ciam-demo-rp on the embedded stack", () => {
    const config = loadDemoConfig(embeddedDemoEnv());
    expect(config.issuer.href).toBe("http://ciam.localhost:3102/");
    expect(config.clientId).toBe("ciam-demo-rp");
    expect(config.redirectUri).toBe("http://ciam.localhost:3002/callback");
    expect(config.postLogoutRedirectUri).toBe("http://ciam.localhost:3002/");
    expect(config.port).toBe(3002);
    expect(config.secureCookies).toBe(false);
  });

  it.each([
    ["DEMO_ISSUER_URL", undefined, /DEMO_ISSUER_URL: is required, e\.g\. http:\/\/ciam\.localhost:3102\//],
    ["DEMO_ISSUER_URL", "ciam.localhost:3102", /DEMO_ISSUER_URL: must be an http\(s\) URL/],
    ["DEMO_ISSUER_URL", "ftp://ciam.example.com/", /DEMO_ISSUER_URL: must be an http\(s\) URL/],
    ["DEMO_CLIENT_ID", "", /DEMO_CLIENT_ID: must not be empty/],
    ["DEMO_CLIENT_SECRET", undefined, /DEMO_CLIENT_SECRET: is required/],
    ["DEMO_PUBLIC_URL", "https://shop.example.com/app", /DEMO_PUBLIC_URL: must be an origin without path/],
    ["DEMO_PUBLIC_URL", "https://shop.example.com/?x=1", /DEMO_PUBLIC_URL: must be an origin without path/],
    ["DEMO_PORT", "0", /DEMO_PORT: must be between 1 and 65535/],
    ["DEMO_PORT", "3002.5", /DEMO_PORT: must be a whole number/],
    ["DEMO_PORT", "http", /DEMO_PORT: must be a port number/],
    ["DEMO_SCOPE", "email profile", /DEMO_SCOPE: must include openid/],
  ])("refuses %s = %s, naming the variable and the fix", (name, value, expected) => {
    expect(() => loadDemoConfig({ ...valid, [name]: value })).toThrow(expected);
  });

  it("names every bad variable at once", () => {
    expect(() => loadDemoConfig({})).toThrow(/DEMO_ISSUER_URL.*DEMO_CLIENT_ID.*DEMO_CLIENT_SECRET.*DEMO_PUBLIC_URL.*DEMO_PORT/);
  });
});
