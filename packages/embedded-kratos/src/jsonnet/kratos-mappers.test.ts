import { describe, expect, it } from "vitest";
import { evaluateJsonnet, JsonnetError } from "./index";

/**
 * Mappers and templates as Kratos ships them in its tests and quickstart
 * (selfservice/strategy/oidc/stub/*.jsonnet, contrib/quickstart/kratos/oidc,
 * selfservice/hook/stub, request/stub, session/stub), evaluated with the
 * ext vars / top-level arguments Kratos passes and compared with what
 * go-jsonnet produces for them.
 */

const subjectOnly = `local claims = std.extVar('claims');

if std.length(claims.sub) == 0 then
  error 'claim sub not set'
else
  {
    identity: {
      traits: {
        subject: claims.sub,
      },
    },
  }`;

const github = `local claims = {
  email_verified: false
} + std.extVar('claims');

{
  identity: {
    traits: {
      // only a verified email
      [if "email" in claims && claims.email_verified then "email" else null]: claims.email,
    },
  },
}`;

const hydra = `local claims = std.extVar('claims');
local identity = std.extVar('identity');

local website = std.get(identity.traits, "website", std.get(claims, "website", ""));

if std.length(claims.sub) == 0 then
  error 'claim sub not set'
else
  {
    identity: {
      traits: {
        subject: claims.sub,
        [if website != "" then "website" else null]: website,
        [if "groups" in claims.raw_claims then "groups" else null]: claims.raw_claims.groups,
      },
      metadata_public: {
        [if "picture" in claims then "picture" else null]: claims.picture,
      },
      metadata_admin: {
        [if "phone_number" in claims then "phone_number" else null]: claims.phone_number,
      },
      verified_addresses: [
        { via: "email", value: claims.sub },
      ],
    },
  }`;

const uaepassExcerpt = `local claims = std.extVar('claims');
local raw = claims.raw_claims;
{
  identity: {
    traits: {
      subject: claims.sub,
      [if "email" in claims && claims.email != '' then "email" else null]: claims.email,
      [if "fullnameEN" in raw && raw.fullnameEN != '' then "name" else null]: {
        full: raw.fullnameEN,
        [if "firstnameEN" in raw && raw.firstnameEN != '' then "first" else null]: raw.firstnameEN,
        [if "lastnameEN" in raw && raw.lastnameEN != '' then "last" else null]: raw.lastnameEN,
      },
    },
  },
}`;

const hookBody = `function(ctx) std.prune({
  flow_id: ctx.flow.id,
  identity_id: if std.objectHas(ctx, "identity") then ctx.identity.id,
  session_id: if std.objectHas(ctx, "session") then ctx.session.id,
  headers: ctx.request_headers,
  transient_payload: if std.objectHas(ctx.flow, "transient_payload") then ctx.flow.transient_payload,
})`;

const sessionTokenizer = `local claims = std.extVar('claims');
local session = std.extVar('session');

{
  claims: {
    foo: "bar",
    schema_id: session.identity.schema_id,
    aal: session.authenticator_assurance_level,
    second_claim: claims.exp,
    [if std.objectHas(session.identity, 'external_id') then 'external_id']: session.identity.external_id,
  }
}`;

describe("Kratos' Jsonnet mappers", () => {
  it("oidc.subject-only: maps sub, and fails with the mapper's error when sub is empty", () => {
    expect(evaluateJsonnet(subjectOnly, { extVars: { claims: { sub: "abc" } } })).toEqual({ identity: { traits: { subject: "abc" } } });
    expect(() => evaluateJsonnet(subjectOnly, { extVars: { claims: { sub: "" } } })).toThrow(/RUNTIME ERROR: claim sub not set/);
  });

  it("quickstart oidc.github: keeps the email only when it is verified", () => {
    expect(evaluateJsonnet(github, { extVars: { claims: { email: "a@example.com", email_verified: true } } })).toEqual({
      identity: { traits: { email: "a@example.com" } },
    });
    expect(evaluateJsonnet(github, { extVars: { claims: { email: "a@example.com" } } })).toEqual({ identity: { traits: {} } });
  });

  it("oidc.hydra: reads the current identity and raw claims", () => {
    const claims = { sub: "user@example.com", picture: "https://p", raw_claims: { groups: ["a"] } };
    expect(evaluateJsonnet(hydra, { extVars: { claims, identity: { traits: { website: "https://w" } } } })).toEqual({
      identity: {
        traits: { subject: "user@example.com", website: "https://w", groups: ["a"] },
        metadata_public: { picture: "https://p" },
        metadata_admin: {},
        verified_addresses: [{ via: "email", value: "user@example.com" }],
      },
    });
    // With no identity yet, Kratos passes an empty one; the claims' website is used.
    expect(
      evaluateJsonnet(hydra, { extVars: { claims: { sub: "s", website: "https://c", raw_claims: {} }, identity: { traits: {} } } }),
    ).toMatchObject({ identity: { traits: { subject: "s", website: "https://c" } } });
  });

  it("oidc.uaepass: nested conditional objects", () => {
    const claims = { sub: "s", email: "", raw_claims: { fullnameEN: "Ada Lovelace", firstnameEN: "Ada", lastnameEN: "" } };
    expect(evaluateJsonnet(uaepassExcerpt, { extVars: { claims } })).toEqual({
      identity: { traits: { subject: "s", name: { full: "Ada Lovelace", first: "Ada" } } },
    });
  });

  it("oidc.missing-subject: a missing claim is a runtime error naming the field", () => {
    const source = "local claims = std.extVar('claims');\n{ identity: { traits: { website: claims.website } } }";
    const run = () => evaluateJsonnet(source, { extVars: { claims: { sub: "s" } } });
    expect(run).toThrow(JsonnetError);
    expect(run).toThrow(/Field does not exist: website/);
  });

  it("hook test_body: a web hook body is a function of ctx, pruned", () => {
    expect(
      evaluateJsonnet(hookBody, {
        extVars: {},
        tlas: { ctx: { flow: { id: "f" }, identity: { id: "i" }, request_headers: { "X-A": ["1"] } } },
      }),
    ).toEqual({ flow_id: "f", identity_id: "i", headers: { "X-A": ["1"] } });
  });

  it('request cancel_body: error "cancel" produces the message Kratos treats as a cancelled request', () => {
    expect(() => evaluateJsonnet('error "cancel"', { extVars: {} })).toThrow(/^RUNTIME ERROR: cancel/);
  });

  it("session rs512-template: if without else as a field name", () => {
    const session = { identity: { schema_id: "default" }, authenticator_assurance_level: "aal1" };
    expect(evaluateJsonnet(sessionTokenizer, { extVars: { claims: { exp: 5 }, session } })).toEqual({
      claims: { foo: "bar", schema_id: "default", aal: "aal1", second_claim: 5 },
    });
  });
});
