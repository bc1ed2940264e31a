import { describe, expect, it } from "vitest";
import { commonIdentifierLabel, identifierLabelFromSchema, withIdentifierLabel } from "./identifier-label";

/** A schema with traits `email` and `username`, each with the given Kratos extension (cases of Kratos' TestGetIdentifierLabelFromSchema). */
function schema(email: object | undefined, username: object | undefined) {
  return {
    type: "object",
    properties: {
      traits: {
        type: "object",
        properties: {
          email: { type: "string", title: "Email", ...(email ? { "ory.sh/kratos": { credentials: email } } : {}) },
          username: { type: "string", title: "Username", ...(username ? { "ory.sh/kratos": { credentials: username } } : {}) },
        },
      },
    },
  };
}

const email = { id: 1070002, text: "Email", type: "info", context: { title: "Email", name: "traits.email" } };
const id = { id: 1070004, text: "ID", type: "info" };

// Kratos: selfservice/flow/login/extension_identifier_label_test.go, TestGetIdentifierLabelFromSchema.
describe("the identifier label follows Kratos' GetIdentifierLabelFromSchema", () => {
  it.each([
    ["password", { password: { identifier: true } }],
    ["webauthn", { webauthn: { identifier: true } }],
    ["totp", { totp: { account_name: true } }],
    ["code", { code: { identifier: true } }],
    ["passkey", { passkey: { display_name: true } }],
    ["all", { password: { identifier: true }, webauthn: { identifier: true }, totp: { account_name: true }, code: { identifier: true } }],
  ])("email for %s is labelled with its title", (_, credentials) => {
    expect(identifierLabelFromSchema(schema(credentials, undefined))).toEqual(email);
  });

  it("a username works as well", () => {
    expect(identifierLabelFromSchema(schema(undefined, { password: { identifier: true } }))).toMatchObject({
      id: 1070002,
      text: "Username",
    });
  });

  it("two identifiers, or none, keep the generic ID", () => {
    expect(identifierLabelFromSchema(schema({ password: { identifier: true } }, { password: { identifier: true } }))).toEqual(id);
    expect(identifierLabelFromSchema(schema(undefined, undefined))).toEqual(id);
  });
});

describe("the login flow's label", () => {
  const flow = {
    ui: {
      nodes: [
        { attributes: { node_type: "input", name: "identifier" }, meta: { label: id } },
        { attributes: { node_type: "input", name: "password" }, meta: { label: { id: 1070001, text: "Password", type: "info" } } },
      ],
    },
  };

  it("replaces only Kratos' generic ID on the identifier", () => {
    const labelled = withIdentifierLabel(flow, email);
    expect(labelled.ui.nodes.map((n) => n.meta.label?.text)).toEqual(["Email", "Password"]);
  });

  it("is one every schema agrees on, or none", () => {
    const password = { password: { identifier: true } };
    expect(commonIdentifierLabel([schema(password, undefined), schema(password, undefined)])).toEqual(email);
    expect(commonIdentifierLabel([schema(password, undefined), schema(undefined, password)])).toBeUndefined();
    expect(withIdentifierLabel(flow, undefined)).toBe(flow);
  });
});
