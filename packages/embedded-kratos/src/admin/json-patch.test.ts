import { describe, expect, it } from "vitest";
import { applyJsonPatch, IDENTITY_DENIED_PATHS, parsePatch } from "./json-patch";

/** identity/handler.go patch: ApplyJSONPatch(..., "/id", "/stateChangedAt", "/credentials", "/credentials/oidc/**"). */
const apply = (doc: Parameters<typeof applyJsonPatch>[0], patch: unknown) => () =>
  applyJsonPatch(doc, parsePatch(JSON.stringify(patch), IDENTITY_DENIED_PATHS));

describe("identity/handler.go patch: denied paths", () => {
  const doc = { a: { b: 1 }, c: "x" };

  it("denies /id, /stateChangedAt, /credentials and OIDC credentials, whatever the case", () => {
    expect(apply(doc, [{ op: "replace", path: "/credentials", value: "x" }])).toThrow("patch includes denied path: /credentials");
    expect(apply(doc, [{ op: "replace", path: "/ID", value: "x" }])).toThrow("patch includes denied path: /ID");
    expect(apply(doc, [{ op: "add", path: "/stateChangedAt", value: "x" }])).toThrow("patch includes denied path: /stateChangedAt");
    const oidc = "/credentials/oidc/config/providers/0/organization";
    expect(apply(doc, [{ op: "replace", path: oidc, value: "foo" }])).toThrow(`patch includes denied path: ${oidc}`);
  });

  it("lets other credential paths through", () => {
    const credentials = { credentials: { password: { config: { hashed_password: "a" } } } };
    expect(apply(credentials, [{ op: "replace", path: "/credentials/password/config/hashed_password", value: "b" }])()).toEqual({
      credentials: { password: { config: { hashed_password: "b" } } },
    });
  });
});
