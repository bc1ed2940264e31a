import { describe, expect, it } from "vitest";
import type { Session } from "@ory/client";
import { assuranceLevelOf, authenticationMethodsOf } from "./session";

const session: Session = {
  id: "s",
  identity: { id: "i", schema_id: "default", schema_url: "", traits: {} },
  authenticator_assurance_level: "aal2",
  authentication_methods: [{ method: "password" }, { method: "totp" }, { method: "password" }],
};

describe("session → acr/amr", () => {
  it("uses the AAL as acr and each method once as amr", () => {
    expect(assuranceLevelOf(session)).toBe("aal2");
    expect(authenticationMethodsOf(session)).toEqual(["password", "totp"]);
  });

  it("defaults to aal1 with no methods", () => {
    expect(assuranceLevelOf({ id: "s" })).toBe("aal1");
    expect(authenticationMethodsOf({ id: "s" })).toEqual([]);
  });
});
