import { describe, expect, it } from "vitest";
import { authorizeMachine, type Introspection } from "./machine-auth";

const rules = { allowedClientId: "control-plane-acme", scope: "olympus.admins.read" };
const answering = (result: Introspection) => () => Promise.resolve(result);

// Follows Hydra's introspection answer (oauth2/handler.go IntrospectOAuth2Token): inactive tokens carry only `active: false`.
describe("machine API authorization", () => {
  it("accepts an active access token of the allowed client with the scope", async () => {
    const decision = await authorizeMachine(
      "Bearer ory_at_abc.def",
      rules,
      answering({ active: true, client_id: "control-plane-acme", scope: "olympus.admins.read", token_use: "access_token" }),
    );
    expect(decision).toEqual({ ok: true, clientId: "control-plane-acme" });
  });

  it("refuses a missing or malformed header, and a token this Hydra does not know (another tenant's)", async () => {
    const never = () => Promise.reject(new Error("not called"));
    expect(await authorizeMachine(null, rules, never)).toMatchObject({ ok: false, status: 401 });
    expect(await authorizeMachine("Basic abc", rules, never)).toMatchObject({ ok: false, status: 401 });
    expect(await authorizeMachine("Bearer x", rules, answering({ active: false }))).toMatchObject({ ok: false, status: 401 });
    expect(await authorizeMachine("Bearer x", rules, () => Promise.reject(new Error("down")))).toMatchObject({ status: 401 });
  });

  it("refuses another client, a missing scope, a refresh token, and any token when no client is configured", async () => {
    const token = (over: Partial<Introspection>) =>
      authorizeMachine(
        "Bearer x",
        rules,
        answering({ active: true, client_id: "control-plane-acme", scope: "olympus.admins.read", ...over }),
      );
    expect(await token({ client_id: "iam-athena-iam" })).toMatchObject({ ok: false, status: 403 });
    expect(await token({ scope: "openid olympus.admins" })).toMatchObject({ ok: false, status: 403 });
    expect(await token({ token_use: "refresh_token" })).toMatchObject({ ok: false, status: 401 });
    expect(
      await authorizeMachine(
        "Bearer x",
        { ...rules, allowedClientId: undefined },
        answering({ active: true, client_id: "control-plane-acme" }),
      ),
    ).toMatchObject({ ok: false, status: 403 });
  });
});
