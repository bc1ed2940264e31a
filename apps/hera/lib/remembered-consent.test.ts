import { describe, expect, it } from "vitest";
import { rememberedGrantCovers, type RememberedGrant } from "./remembered-consent";

const grant = (overrides: Partial<RememberedGrant> = {}): RememberedGrant => ({
  clientId: "tv",
  grantScope: ["openid", "profile"],
  grantAudience: [],
  ...overrides,
});

describe("remembered consent covering a skipped consent request", () => {
  it("covers a request within a remembered grant of the same client", () => {
    expect(rememberedGrantCovers([grant()], { clientId: "tv", requestedScope: ["openid"], requestedAudience: [] })).toBe(true);
    expect(rememberedGrantCovers([grant()], { clientId: "tv", requestedScope: ["profile", "openid"], requestedAudience: [] })).toBe(true);
  });

  // Hydra v26.2.0 consent/strategy_default.go HandleOAuth2DeviceAuthorizationRequest: the device flow's
  // requestConsent matches the remembered grant against no scopes at all, so skip is true for a wider request.
  it("does not cover a device request for scopes never granted", () => {
    expect(rememberedGrantCovers([grant()], { clientId: "tv", requestedScope: ["openid", "offline_access"], requestedAudience: [] })).toBe(
      false,
    );
  });

  it("does not cover an audience never granted", () => {
    expect(rememberedGrantCovers([grant()], { clientId: "tv", requestedScope: ["openid"], requestedAudience: ["https://api"] })).toBe(
      false,
    );
    expect(
      rememberedGrantCovers([grant({ grantAudience: ["https://api"] })], {
        clientId: "tv",
        requestedScope: ["openid"],
        requestedAudience: ["https://api"],
      }),
    ).toBe(true);
  });

  it("does not take another client's grant, nor a grant split across sessions", () => {
    expect(
      rememberedGrantCovers([grant({ clientId: "other" })], { clientId: "tv", requestedScope: ["openid"], requestedAudience: [] }),
    ).toBe(false);
    const split = [grant({ grantScope: ["openid"] }), grant({ grantScope: ["email"] })];
    expect(rememberedGrantCovers(split, { clientId: "tv", requestedScope: ["openid", "email"], requestedAudience: [] })).toBe(false);
    expect(rememberedGrantCovers([grant()], { clientId: undefined, requestedScope: [], requestedAudience: [] })).toBe(false);
  });
});
