import { readGoNode } from "@olympus/server-kit/go-json";
import { describe, expect, it } from "vitest";
import { applyRawPatch, parseIdentityPatch } from "./json-patch";

/** identity/handler.go patch: ApplyJSONPatch(..., "/id", "/stateChangedAt", "/credentials", "/credentials/oidc/**"). */
const apply = (doc: string, patch: unknown) => () => {
  const bytes = Buffer.from(doc, "utf8");
  return applyRawPatch(readGoNode(bytes, bytes.length), parseIdentityPatch(Buffer.from(JSON.stringify(patch), "utf8")));
};

describe("identity/handler.go patch: denied paths", () => {
  const doc = `{"a":{"b":1},"c":"x"}`;

  it("denies /id, /stateChangedAt, /credentials and OIDC credentials, whatever the case", () => {
    expect(apply(doc, [{ op: "replace", path: "/credentials", value: "x" }])).toThrow("patch includes denied path: /credentials");
    expect(apply(doc, [{ op: "replace", path: "/ID", value: "x" }])).toThrow("patch includes denied path: /ID");
    expect(apply(doc, [{ op: "add", path: "/stateChangedAt", value: "x" }])).toThrow("patch includes denied path: /stateChangedAt");
    const oidc = "/credentials/oidc/config/providers/0/organization";
    expect(apply(doc, [{ op: "replace", path: oidc, value: "foo" }])).toThrow(`patch includes denied path: ${oidc}`);
  });

  it("lets other credential paths through", () => {
    const credentials = `{"credentials":{"password":{"config":{"hashed_password":"a"}}}}`;
    expect(apply(credentials, [{ op: "replace", path: "/credentials/password/config/hashed_password", value: "b" }])()).toBe(
      `{"credentials":{"password":{"config":{"hashed_password":"b"}}}}`,
    );
  });
});
