import { describe, expect, it } from "vitest";
import { withQuery } from "./with-query";

describe("withQuery", () => {
  it("keeps the URL's own parameters, replaces same-named ones and leaves out undefined values", () => {
    expect(withQuery("http://ui.localhost/login?lang=de&x=1", { login_challenge: "a b", x: "2", skip: undefined })).toBe(
      "http://ui.localhost/login?lang=de&x=2&login_challenge=a+b",
    );
  });
});
