import { describe, expect, it } from "vitest";
import { isMethodButton, isWebAuthnField, needsJavaScript, primaryButtonOf, type ButtonNode } from "./flow-buttons";

function button(group: string, name: string, extra: Partial<ButtonNode["attributes"]> = {}, labelId = 1010022): ButtonNode {
  return {
    type: "input",
    group,
    attributes: { node_type: "input", name, type: "submit", disabled: false, ...extra },
    messages: [],
    meta: { label: { id: labelId, text: name, type: "info" } },
  } as ButtonNode;
}

// The login card of a CIAM flow with password, one-time code and passkey (Kratos' node order).
const password = button("password", "method", { value: "password" });
const code = button("code", "method", { value: "code" }, 1010015);
const passkey = button("passkey", "passkey_login_trigger", { type: "button", onclickTrigger: "oryPasskeyLogin" }, 1010021);
const resend = button("code", "resend", { value: "code" }, 1070008);

describe("the sign-in card's buttons", () => {
  it("have one primary action, the first method shown", () => {
    expect(primaryButtonOf([password, code, passkey])).toBe(password);
    expect(primaryButtonOf([resend, code])).toBe(code);
  });

  it("never make 'resend code' or a social provider a method button", () => {
    expect(isMethodButton(resend)).toBe(false);
    expect(isMethodButton(button("oidc", "provider", { value: "acme" }))).toBe(false);
    expect(isMethodButton(code)).toBe(true);
  });

  it("know which need JavaScript (WebAuthn and passkey triggers)", () => {
    expect(needsJavaScript(passkey)).toBe(true);
    expect(needsJavaScript(button("webauthn", "webauthn_login_trigger", { type: "button", onclick: "window.__oryWebAuthnLogin()" }))).toBe(
      true,
    );
    expect(needsJavaScript(button("webauthn", "method", { value: "webauthn" }))).toBe(true);
    expect(needsJavaScript(password)).toBe(false);
    expect(needsJavaScript(code)).toBe(false);
  });
});

describe("fields that only serve WebAuthn", () => {
  it("are the visible inputs of the webauthn and passkey groups", () => {
    const name = { ...button("webauthn", "webauthn_register_displayname", { type: "text" }), type: "input" } as ButtonNode;
    expect(isWebAuthnField(name)).toBe(true);
    expect(isWebAuthnField(button("webauthn", "webauthn_register", { type: "hidden" }))).toBe(false);
    expect(isWebAuthnField(button("default", "traits.email", { type: "email" }))).toBe(false);
  });
});
