import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKratosWithPostgres, stopKratosAndPostgres, STRONG_PASSWORD, type TestKratos, type TestPostgres } from "../testing/harness";

/**
 * Identifiers and addresses are lower-cased with Go's strings.ToLower
 * (identity/extension_credentials.go setIdentifier,
 * extension_verification.go and extension_recovery.go), and the identifier
 * filter of the identity list with it too (persistence/sql/identity/
 * persister_identity.go NormalizeIdentifier in ListIdentities): Unicode's
 * simple case mapping, not JavaScript's full one with its final-sigma rule.
 */
describe("identifier lower-casing as Go's strings.ToLower", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres("ciam_identifier_case")));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  it("stores ΟΔΥΣΣΕΥΣ as οδυσσευσ (no final ς) and finds it by that identifier", async () => {
    const { data: created } = await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email: "ΟΔΥΣΣΕΥΣ@example.com" },
        credentials: { password: { config: { password: STRONG_PASSWORD } } },
      },
    });
    const lowered = "οδυσσευσ@example.com";
    expect(created.credentials?.password?.identifiers).toEqual([lowered]);
    expect(created.verifiable_addresses?.map((a) => a.value)).toEqual([lowered]);
    expect(created.recovery_addresses?.map((a) => a.value)).toEqual([lowered]);

    for (const given of [lowered, "ΟΔΥΣΣΕΥΣ@EXAMPLE.COM"]) {
      const { data } = await kratos.identity.listIdentities({ credentialsIdentifier: given });
      expect(
        data.map((i) => i.id),
        given,
      ).toEqual([created.id]);
    }
  });

  it("lower-cases the addresses of a create body the same way, so they match the traits' (identity/handler.go identityFromCreateIdentityBody)", async () => {
    const { data: created } = await kratos.identity.createIdentity({
      createIdentityBody: {
        schema_id: "default",
        traits: { email: "ΣΙΣΥΦΟΣ@example.com" },
        verifiable_addresses: [{ value: "ΣΙΣΥΦΟΣ@example.com", via: "email", verified: true, status: "completed" }],
      },
    });
    expect(created.verifiable_addresses?.map((a) => [a.value, a.verified])).toEqual([["σισυφοσ@example.com", true]]);
  });

  it("reads `expand` as session.ParseExpandable does (strings.ToLower: İ is i)", async () => {
    const res = await fetch(`${kratos.adminUrl}/admin/sessions?expand=%C4%B0DENTITY`);
    expect(res.status).toBe(200);
  });
});
