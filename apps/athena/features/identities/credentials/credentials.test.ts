import type { Identity } from "@olympus/ory-client/admin";
import { describe, expect, it } from "vitest";
import { credentialItems } from "./credentials";

const identity = (credentials: Identity["credentials"]): Identity =>
  ({ id: "5b1f2c3d-0000-4000-8000-000000000001", schema_id: "default", schema_url: "", traits: {}, credentials }) as Identity;

describe("the identity page's credentials card", () => {
  it("leaves out the webauthn credential Kratos gives every identity before a key is registered", () => {
    // identity/extension_credentials.go: the schema's webauthn identifier creates the credential with no keys.
    const items = credentialItems(
      identity({
        password: { type: "password", identifiers: ["ada@example.com"], version: 0 },
        webauthn: { type: "webauthn", identifiers: ["ada@example.com"], config: { credentials: [] }, version: 0 },
      }),
    );
    expect(items.map((item) => item.label)).toEqual(["Password"]);
  });

  it("shows registered security keys with their removal", () => {
    const items = credentialItems(
      identity({
        webauthn: {
          type: "webauthn",
          identifiers: ["ada@example.com"],
          config: { credentials: [{ display_name: "YubiKey", is_passwordless: false }] },
          version: 0,
        },
      }),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ label: "Security keys", detail: "YubiKey", removal: { type: "webauthn" } });
  });
});
