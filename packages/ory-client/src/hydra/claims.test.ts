import { describe, expect, it } from "vitest";
import { idTokenClaims } from "./claims";

const customer = {
  traits: { email: "Ann@Example.com", name: { first: "Ann", last: "Lee" } },
  verifiable_addresses: [{ value: "ann@example.com", verified: true, via: "email" }],
};
const employee = {
  traits: { email: "boss@olympus.dev", name: { first: "B", last: "O" } },
  metadata_admin: { iam_admin_role: "admin", team: "ops" },
};

describe("idTokenClaims", () => {
  it("adds email and its verification state only with the email scope", () => {
    expect(idTokenClaims("ciam", customer, ["openid", "email"])).toEqual({ email: "Ann@Example.com", email_verified: true });
    expect(idTokenClaims("ciam", customer, ["openid"])).toEqual({});
  });

  it("adds the name only with the profile scope", () => {
    expect(idTokenClaims("ciam", customer, ["openid", "profile"])).toEqual({ name: "Ann Lee", given_name: "Ann", family_name: "Lee" });
  });

  it("reports an unverified address as email_verified=false", () => {
    expect(idTokenClaims("ciam", { traits: { email: "x@example.com" } }, ["email"])).toEqual({
      email: "x@example.com",
      email_verified: false,
    });
  });

  it("maps the employee's role from metadata_admin into the IAM ID token with profile or its own scope", () => {
    expect(idTokenClaims("iam", employee, ["openid", "profile"]).iam_admin_role).toBe("admin");
    expect(idTokenClaims("iam", employee, ["openid", "iam_admin_role"])).toEqual({ iam_admin_role: "admin" });
    expect(idTokenClaims("iam", employee, ["openid", "email"]).iam_admin_role).toBeUndefined();
  });

  it("never yields an admin role on CIAM or for an unknown role value", () => {
    expect(idTokenClaims("ciam", employee, ["profile", "iam_admin_role"]).iam_admin_role).toBeUndefined();
    const odd = { traits: { email: "x@olympus.dev" }, metadata_admin: { iam_admin_role: "root" } };
    expect(idTokenClaims("iam", odd, ["profile"]).iam_admin_role).toBeUndefined();
    expect(idTokenClaims("iam", { traits: {}, metadata_admin: "admin" }, ["profile"]).iam_admin_role).toBeUndefined();
  });

  it("ignores a role anywhere the person can write it: traits, metadata_public", () => {
    const selfPromoted = {
      traits: { email: "x@olympus.dev", iam_admin_role: "admin" },
      metadata_public: { iam_admin_role: "admin" },
      metadata_admin: null,
    };
    expect(idTokenClaims("iam", selfPromoted, ["openid", "profile", "iam_admin_role"])).not.toHaveProperty("iam_admin_role");
    const viewerWithAdminTrait = {
      traits: { email: "x@olympus.dev", iam_admin_role: "admin" },
      metadata_admin: { iam_admin_role: "viewer" },
    };
    expect(idTokenClaims("iam", viewerWithAdminTrait, ["profile"]).iam_admin_role).toBe("viewer");
  });

  it("tolerates traits that are not objects", () => {
    expect(idTokenClaims("iam", { traits: null }, ["email", "profile"])).toEqual({});
  });
});
