import { describe, expect, it } from "vitest";
import { hostOnlySetCookie } from "./cookies";

describe("hostOnlySetCookie", () => {
  it("drops a Domain attribute in any case and position", () => {
    expect(hostOnlySetCookie("a=1; Domain=.example.com; Path=/")).toBe("a=1; Path=/");
    expect(hostOnlySetCookie("a=1; Path=/; domain=example.com")).toBe("a=1; Path=/");
  });

  it("keeps everything else, including a value that mentions domain", () => {
    expect(hostOnlySetCookie("domain=x; HttpOnly; SameSite=Lax")).toBe("domain=x; HttpOnly; SameSite=Lax");
  });
});
