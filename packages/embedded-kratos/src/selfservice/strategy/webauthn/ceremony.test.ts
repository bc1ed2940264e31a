import { describe, expect, it } from "vitest";
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration } from "./ceremony";
import type { WebAuthnConfig } from "./config";
import type { StoredWebAuthnCredential } from "./credential";
import { parseCreationOptions, parseRequestOptions, SoftwareAuthenticator } from "./testing/software-authenticator";

const config: WebAuthnConfig = {
  passwordless: false,
  rpId: "iam.localhost",
  rpName: "Olympus Workforce",
  origins: ["http://iam.localhost:4000"],
};
const userHandle = new Uint8Array(16).fill(7);

async function registered(key: SoftwareAuthenticator): Promise<StoredWebAuthnCredential> {
  const { optionsJson, challenge } = await registrationOptions(config, { handle: userHandle }, []);
  const created = await verifyRegistration(config, key.create(parseCreationOptions(optionsJson)), challenge);
  if (!created) throw new Error("registration did not verify");
  return {
    id: created.id,
    public_key: created.publicKey,
    attestation_type: "none",
    authenticator: { aaguid: created.aaguid, sign_count: created.signCount, clone_warning: false },
    display_name: "",
    added_at: new Date().toISOString(),
    is_passwordless: false,
  };
}

describe("WebAuthn ceremonies with a software authenticator", () => {
  // go-webauthn v0.11.2 BeginRegistration / beginLogin marshalled (protocol/options.go, entities.go): Go's field order,
  // omitempty fields left out, no attestation preference (driver/config WebAuthnConfig sets none).
  it("offers the options exactly as go-webauthn marshals them for Kratos", async () => {
    const { optionsJson, challenge } = await registrationOptions(config, { handle: userHandle }, []);
    const user = Buffer.from(userHandle).toString("base64url");
    const params = [-7, -35, -36, -257, -258, -259, -37, -38, -39, -8].map((alg) => `{"type":"public-key","alg":${alg}}`).join(",");
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(optionsJson).toBe(
      `{"publicKey":{"rp":{"name":"Olympus Workforce","id":"iam.localhost"},"user":{"name":"Olympus Workforce",` +
        `"displayName":"Olympus Workforce","id":"${user}"},"challenge":"${challenge}","pubKeyCredParams":[${params}],` +
        `"timeout":120000,"authenticatorSelection":{"userVerification":"discouraged"}}}`,
    );
    const key = {
      id: Buffer.from([1, 2]).toString("base64"),
      public_key: "",
      attestation_type: "none",
      display_name: "",
      added_at: "",
      is_passwordless: false,
    };
    const login = await authenticationOptions(config, [key]);
    expect(login.optionsJson).toBe(
      `{"publicKey":{"challenge":"${login.challenge}","timeout":120000,"rpId":"iam.localhost",` +
        `"allowCredentials":[{"type":"public-key","id":"AQI"}],"userVerification":"discouraged"}}`,
    );
    const discoverable = await authenticationOptions(config, undefined, "passkey");
    expect(discoverable.optionsJson).toBe(
      `{"publicKey":{"challenge":"${discoverable.challenge}","timeout":300000,"rpId":"iam.localhost","userVerification":"preferred"}}`,
    );
  });

  // go-webauthn's defaultRegistrationCredentialParameters (Kratos sets no CredentialParameters of its own).
  it("offers the public-key algorithms go-webauthn offers, in its order, and nothing it cannot verify", async () => {
    const { optionsJson } = await registrationOptions(config, { handle: userHandle }, []);
    const options = JSON.parse(optionsJson) as { publicKey: { pubKeyCredParams: { alg: number; type: string }[] } };
    expect(options.publicKey.pubKeyCredParams).toEqual(
      [-7, -35, -36, -257, -258, -259, -37, -38, -39, -8].map((alg) => ({ alg, type: "public-key" })),
    );
  });

  // go-webauthn webauthn/const.go (defaultTimeoutUVD, defaultTimeout), applied by BeginRegistration / BeginLogin.
  it("asks the browser to wait go-webauthn's default time: 2 minutes with verification discouraged, 5 with passkeys' preferred", async () => {
    const timeoutOf = (json: string) => (JSON.parse(json) as { publicKey: { timeout: number } }).publicKey.timeout;
    expect(timeoutOf((await registrationOptions(config, { handle: userHandle }, [])).optionsJson)).toBe(120_000);
    expect(timeoutOf((await authenticationOptions(config, [])).optionsJson)).toBe(120_000);
    expect(timeoutOf((await registrationOptions(config, { handle: userHandle }, [], "passkey")).optionsJson)).toBe(300_000);
    expect(timeoutOf((await authenticationOptions(config, undefined, "passkey")).optionsJson)).toBe(300_000);
  });

  it("verifies a registration and stores the key in Kratos' format (standard base64 bytes)", async () => {
    const key = new SoftwareAuthenticator("http://iam.localhost:4000", "iam.localhost");
    const stored = await registered(key);
    expect(Buffer.from(stored.id, "base64").equals(key.credentialId)).toBe(true);
    expect(stored.public_key).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("rejects registrations for another challenge or an origin outside rp.origins", async () => {
    const key = new SoftwareAuthenticator("http://iam.localhost:4000", "iam.localhost");
    const { optionsJson, challenge } = await registrationOptions(config, { handle: userHandle }, []);
    const options = parseCreationOptions(optionsJson);
    expect(await verifyRegistration(config, key.create(options, { challenge: "AAAA" }), challenge)).toBeUndefined();
    expect(await verifyRegistration(config, key.create(options, { origin: "http://evil.example" }), challenge)).toBeUndefined();
    expect(await verifyRegistration(config, "{not json", challenge)).toBeUndefined();
  });

  it("verifies an assertion from the registered key and rejects a foreign signature or a stale challenge", async () => {
    const key = new SoftwareAuthenticator("http://iam.localhost:4000", "iam.localhost");
    const stored = await registered(key);
    const { optionsJson, challenge } = await authenticationOptions(config, [stored]);
    const options = parseRequestOptions(optionsJson);
    expect(options.publicKey.allowCredentials).toEqual([{ id: key.idBase64Url, type: "public-key" }]);

    const ok = await verifyAuthentication(config, key.get(options), challenge, [stored]);
    expect(ok?.newCounter).toBe(1);

    const impostor = new SoftwareAuthenticator("http://iam.localhost:4000", "iam.localhost");
    expect(await verifyAuthentication(config, key.get(options, { signWith: impostor }), challenge, [stored])).toBeUndefined();
    expect(await verifyAuthentication(config, key.get(options, { challenge: "c3RhbGU" }), challenge, [stored])).toBeUndefined();
    expect(await verifyAuthentication(config, key.get(options), challenge, [])).toBeUndefined();
  });
});
