import type { UiNodeInputAttributes } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaPath } from "../../../identity/schema-registry";
import { startKratosWithPostgres, stopKratosAndPostgres, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { identifierLabelFromSchema } from "./identifier-label";

const trait = (name: string, extension: SchemaPath["extension"], title?: string): SchemaPath => ({
  name: `traits.${name}`,
  segments: ["traits", name],
  typeHint: "string",
  required: false,
  hasDefault: false,
  extension,
  ...(title ? { title } : {}),
});

// selfservice/flow/login/extension_identifier_label.go GetIdentifierLabelFromSchema
describe("GetIdentifierLabelFromSchema", () => {
  it("labels the identifier with the title of the one identifying trait (1070002, title and name in context)", () => {
    const paths = [
      trait("email", { credentials: { password: { identifier: true }, code: { identifier: true } } }, "Email"),
      trait("name", {}, "Name"),
    ];
    expect(identifierLabelFromSchema({ listed: { paths } })).toEqual({
      id: 1070002,
      text: "Email",
      type: "info",
      context: { title: "Email", name: "traits.email" },
    });
  });

  it("counts webauthn identifiers, passkey display names and TOTP account names as identifying", () => {
    for (const extension of [
      { credentials: { webauthn: { identifier: true } } },
      { credentials: { passkey: { display_name: true } } },
      { credentials: { totp: { account_name: true } } },
    ])
      expect(identifierLabelFromSchema({ listed: { paths: [trait("handle", extension, "Handle")] } }).id).toBe(1070002);
  });

  it('says "ID" (1070004) when no trait, several traits, or an untitled trait identifies', () => {
    const id = { id: 1070004, text: "ID", type: "info" };
    expect(identifierLabelFromSchema({ listed: { paths: [trait("name", {}, "Name")] } })).toEqual(id);
    expect(identifierLabelFromSchema({ listed: { paths: [trait("email", { credentials: { password: { identifier: true } } })] } })).toEqual(
      id,
    );
    expect(
      identifierLabelFromSchema({
        listed: {
          paths: [
            trait("email", { credentials: { password: { identifier: true } } }, "Email"),
            trait("username", { credentials: { password: { identifier: true } } }, "Username"),
          ],
        },
      }),
    ).toEqual(id);
    expect(identifierLabelFromSchema(undefined)).toEqual(id);
  });

  describe("in login flows", () => {
    let pg: TestPostgres;
    let kratos: TestKratos;
    beforeAll(
      async () =>
        ({ pg, kratos } = await startKratosWithPostgres("ciam_identifier_label", {
          configOverrides: { selfservice: { methods: { code: { passwordless_enabled: false } } } },
        })),
    );
    afterAll(() => stopKratosAndPostgres(kratos, pg));

    it("the CIAM schema's identifier is labelled with its title, Email", async () => {
      const { data } = await kratos.frontend.createNativeLoginFlow();
      const identifier = data.ui.nodes.find((n) => (n.attributes as UiNodeInputAttributes).name === "identifier");
      expect(identifier?.meta.label).toEqual({
        id: 1070002,
        text: "Email",
        type: "info",
        context: { title: "Email", name: "traits.email" },
      });
    });
  });
});
