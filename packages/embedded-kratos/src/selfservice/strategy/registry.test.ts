import { describe, expect, it } from "vitest";
import type { KratosConfig } from "../../config/load";
import { loginFlow } from "../flow/login/definition";
import { newFlowFields } from "../flow/flow";
import { settingsFlow } from "../flow/settings/definition";
import { ALL_STRATEGIES } from "./all";
import { StrategyRegistry } from "./registry";
import type { Strategy, StrategyContext } from "./strategy";

/** Every strategy on: the registry's answers do not depend on what else config holds. */
const config = { selfservice: { methods: {} } } as unknown as KratosConfig;
const everything: Strategy[] = ALL_STRATEGIES.map((s) => ({ ...s, enabled: () => true }));
const registry = new StrategyRegistry(config, everything);
const ctx = {
  deps: { config: { selfservice: { methods: {}, flows: { recovery: { use: "code" }, verification: { use: "code" } } } } },
  http: { query: new URLSearchParams() },
} as unknown as StrategyContext;

const fields = () =>
  newFlowFields({
    kind: "login",
    type: "browser",
    state: "choose_method",
    publicBaseUrl: "http://localhost/",
    requestUrl: "http://localhost/",
    lifespanMs: 60_000,
    csrfToken: "",
  });

describe("StrategyRegistry: what flows ask instead of knowing strategies by name", () => {
  it("orders node groups as Kratos' SortByGroups lists of each flow (login/handler.go, registration/handler.go, settings/handler.go)", () => {
    // identifier_first is not in login/sort.go's list: SortByGroups puts an unlisted group (index -1) first.
    expect(registry.groupOrder("login")).toEqual([
      "identifier_first",
      "oidc",
      "default",
      "webauthn",
      "passkey",
      "code",
      "password",
      "totp",
      "lookup_secret",
    ]);
    expect(registry.groupOrder("registration")).toEqual(["oidc", "default", "webauthn", "passkey", "code", "password", "profile"]);
    expect(registry.groupOrder("settings")).toEqual([
      "default",
      "profile",
      "password",
      "oidc",
      "lookup_secret",
      "webauthn",
      "passkey",
      "totp",
    ]);
    expect(registry.groupOrder("recovery")).toEqual(["default", "code", "link"]);
  });

  it("finds the responsible strategy (ErrStrategyNotResponsible from the others), including buttons posted without `method`", () => {
    const login = loginFlow.create(fields());
    expect(registry.responsibleFor("login", { flow: login, body: {}, method: "password" }, ctx)?.id).toBe("password");
    expect(registry.responsibleFor("login", { flow: login, body: { webauthn_login: "{}" }, method: "" }, ctx)?.id).toBe("webauthn");
    expect(registry.responsibleFor("login", { flow: login, body: { passkey_login: "{}" }, method: "" }, ctx)?.id).toBe("passkey");
    // idfirst/strategy_login.go Login (on here, as every strategy is) asks no `method`: an aal1 submission no other takes is its.
    expect(registry.responsibleFor("login", { flow: login, body: {}, method: "" }, ctx)?.id).toBe("identifier_first");
    const aal2 = { ...login, requestedAal: "aal2" as const };
    expect(registry.responsibleFor("login", { flow: aal2, body: {}, method: "" }, ctx)).toBeUndefined();
    // oidc/strategy_login.go Login: a `provider` with method oidc or none; with another method it is not oidc's.
    expect(registry.responsibleFor("login", { flow: login, body: { provider: "google" }, method: "" }, ctx)?.id).toBe("oidc");
    expect(registry.responsibleFor("login", { flow: login, body: { provider: "google" }, method: "password" }, ctx)?.id).toBe("password");
    expect(registry.responsibleFor("login", { flow: aal2, body: {}, method: "link" }, ctx)).toBeUndefined();

    const settings = settingsFlow.create(fields());
    expect(registry.responsibleFor("settings", { flow: settings, body: { totp_unlink: "true" }, method: "" }, ctx)?.id).toBe("totp");
    expect(registry.responsibleFor("settings", { flow: settings, body: { lookup_secret_reveal: "true" }, method: "" }, ctx)?.id).toBe(
      "lookup_secret",
    );
    expect(registry.responsibleFor("settings", { flow: settings, body: { webauthn_remove: "abc" }, method: "" }, ctx)?.id).toBe("webauthn");
    expect(registry.responsibleFor("settings", { flow: settings, body: { passkey_remove: "abc" }, method: "" }, ctx)?.id).toBe("passkey");
    expect(registry.responsibleFor("settings", { flow: settings, body: { totp_unlink: "false" }, method: "" }, ctx)).toBeUndefined();
  });

  it("asks recovery strategies in order: code for its own flows, link for any token (recovery/handler.go)", () => {
    const recovery = { ...fields(), kind: "recovery" as const, skipCsrfCheck: false };
    expect(registry.responsibleFor("recovery", { flow: { ...recovery, active: "code" }, body: { token: "t" }, method: "" }, ctx)?.id).toBe(
      "code",
    );
    expect(registry.responsibleFor("recovery", { flow: { ...recovery, active: "link" }, body: { token: "t" }, method: "" }, ctx)?.id).toBe(
      "link",
    );
    expect(registry.responsibleFor("recovery", { flow: { ...recovery, active: "link" }, body: {}, method: "" }, ctx)).toBeUndefined();
  });

  it("knows the strategies' secret inputs and schema-derived identifiers", () => {
    for (const name of ["password", "totp_code", "lookup_secret", "code"]) expect(registry.isSecretInput(name)).toBe(true);
    expect(registry.isSecretInput("identifier")).toBe(false);
    expect(registry.schemaIdentifierTypes()).toEqual(["password", "code", "webauthn"]);
    expect(registry.interleavedWithDefault()).toEqual(["password"]);
  });
});
