import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { KratosConfig } from "../../../config/load";
import { codeMatches, openState, sealState } from "./state";

/** oidc/state.go GenerateState, encryptState, DecryptState, codeMatches (oidc.v1.State in proto/oidc/v1/state.proto). */
const noop = { secrets: {} } as unknown as KratosConfig;
const xchacha = {
  ciphers: { algorithm: "xchacha20-poly1305" },
  secrets: { cipher: ["ciam-dev-cipher-secret-32-chars!"] },
} as unknown as KratosConfig;
const FLOW = "0b6bd2c4-8f3e-4b8a-9d2e-5b7c1a2e3f40";

describe("OAuth state as Kratos writes it", () => {
  it("is the protobuf State through the noop cipher: hex of fields 1-5", () => {
    const sealed = sealState(noop, { flowId: FLOW, kind: "registration", provider: "test", pkce: "v", initCode: "init" });
    const sha = createHash("sha512").update("init").digest("hex");
    // flow_id (1, 16 bytes), session_token_exchange_code_sha512 (2, 64 bytes), provider_id (3), pkce_verifier (4), flow_kind (5) = 2.
    expect(sealed).toBe(
      `0a10${FLOW.replace(/-/g, "")}1240${sha}1a04${Buffer.from("test").toString("hex")}2201${Buffer.from("v").toString("hex")}2802`,
    );
    const state = openState(noop, sealed);
    expect(state).toMatchObject({ flowId: FLOW, kind: "registration", provider: "test", pkce: "v" });
    expect(state && codeMatches(state, "init")).toBe(true);
    expect(state && codeMatches(state, "other")).toBe(false);
  });

  it("carries a random UUID's 16 bytes when the flow has no exchange code, and leaves out an empty PKCE verifier", () => {
    const sealed = sealState(noop, { flowId: FLOW, kind: "login", provider: "p", pkce: "", initCode: undefined });
    expect(sealed).toMatch(new RegExp(`^0a10${FLOW.replace(/-/g, "")}1210[0-9a-f]{32}1a01702801$`));
  });

  it("reads states of unspecified kind or without provider (older Kratos), and refuses what does not parse", () => {
    // flow_id only.
    expect(openState(noop, `0a10${FLOW.replace(/-/g, "")}`)).toMatchObject({ flowId: FLOW, kind: undefined, provider: "" });
    // A flow id that is not 16 bytes is the nil UUID (uuid.FromBytesOrNil).
    expect(openState(noop, "0a0201021a0170")?.flowId).toBe("00000000-0000-0000-0000-000000000000");
    expect(openState(noop, "0a20")).toBeUndefined();
    expect(openState(noop, "zz")).toBeUndefined();
    // provider_id that is not UTF-8.
    expect(openState(noop, "1a01ff")).toBeUndefined();
  });

  it("is encrypted with the configured cipher, and a changed byte or another key is refused", () => {
    const sealed = sealState(xchacha, { flowId: FLOW, kind: "settings", provider: "test", pkce: "", initCode: undefined });
    expect(openState(xchacha, sealed)).toMatchObject({ flowId: FLOW, kind: "settings", provider: "test" });
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("00") ? "01" : "00");
    expect(openState(xchacha, flipped)).toBeUndefined();
    const other = { ...xchacha, secrets: { cipher: ["another-cipher-secret-32-chars!!"] } } as unknown as KratosConfig;
    expect(openState(other, sealed)).toBeUndefined();
  });
});
