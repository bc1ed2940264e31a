import { describe, expect, it } from "vitest";
import { parseAdminRole, roleAllows } from "./roles";

describe("roles", () => {
  it("admin may do what a viewer may, not the other way round", () => {
    expect(roleAllows("admin", "viewer")).toBe(true);
    expect(roleAllows("admin", "admin")).toBe(true);
    expect(roleAllows("viewer", "viewer")).toBe(true);
    expect(roleAllows("viewer", "admin")).toBe(false);
  });

  it("only the two known claim values are roles", () => {
    expect(parseAdminRole("admin")).toBe("admin");
    expect(parseAdminRole("viewer")).toBe("viewer");
    for (const value of ["Admin", "owner", "", null, undefined, ["admin"], { role: "admin" }])
      expect(parseAdminRole(value)).toBeUndefined();
  });
});
