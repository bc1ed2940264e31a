import { describe, expect, it } from "vitest";
import { formatLifespan, lifespanMinutes } from "../token-lifespan";
import { AdminActionError } from "@/shared/server/action-result";
import { applyM2MPolicy } from "./enforcement";

const policy = { allowedScopes: ["orders:read", "orders:write"], maxTokenLifetimeMinutes: 30 };
const machine = { client_name: "Billing", grant_types: ["client_credentials"], scope: "orders:read" };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AdminActionError) return error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("applyM2MPolicy", () => {
  it("sends the asked lifetime to Hydra as the client-credentials access token lifespan", () => {
    expect(applyM2MPolicy(machine, policy, 15)).toEqual({ ...machine, client_credentials_grant_access_token_lifespan: "15m" });
  });

  it("bounds a client that asks for no lifetime with the domain's cap", () => {
    expect(applyM2MPolicy(machine, policy, undefined).client_credentials_grant_access_token_lifespan).toBe("30m");
  });

  it("refuses a lifetime over the cap", () => {
    expect(refusal(() => applyM2MPolicy(machine, policy, 31))).toMatch(/at most 30 minutes/);
  });

  it("refuses any scope off the allow-list, naming it, also on a client with other grants", () => {
    const mixed = { grant_types: ["authorization_code", "client_credentials"], scope: "orders:read openid admin:all" };
    expect(refusal(() => applyM2MPolicy(mixed, policy, 10))).toMatch(/allow-list: openid, admin:all\./);
  });

  it("refuses a client-credentials client without scopes (Hydra would grant its defaults)", () => {
    expect(refusal(() => applyM2MPolicy({ ...machine, scope: " " }, policy, 10))).toMatch(/needs scopes/);
  });

  it("leaves a client without the grant alone, except for a stale client-credentials lifespan", () => {
    const web = { grant_types: ["authorization_code"], scope: "openid anything", client_credentials_grant_access_token_lifespan: "5h0m0s" };
    expect(applyM2MPolicy(web, { allowedScopes: [], maxTokenLifetimeMinutes: 0 }, 999)).toEqual({
      ...web,
      client_credentials_grant_access_token_lifespan: undefined,
    });
  });
});

describe("token lifespans", () => {
  it("reads Hydra's Go durations back as whole minutes, rounding up", () => {
    expect(lifespanMinutes(formatLifespan(15))).toBe(15);
    expect(lifespanMinutes("15m0s")).toBe(15);
    expect(lifespanMinutes("1h0m0s")).toBe(60);
    expect(lifespanMinutes("90s")).toBe(2);
    expect(lifespanMinutes("soon")).toBeUndefined();
    expect(lifespanMinutes(undefined)).toBeUndefined();
  });
});
