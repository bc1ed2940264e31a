import { describe, expect, it } from "vitest";
import { decideLogin, freshnessRequirement, promptsNone, type LoginDecisionInput, type MfaFacts } from "./login-decision";

const NOW = 1_800_000_000_000;
const AUTH = "https://hydra.example/oauth2/auth?client_id=c&response_type=code";

function input(overrides: Partial<LoginDecisionInput> = {}): LoginDecisionInput {
  return {
    request: { skip: false, subject: "", requestUrl: AUTH },
    session: { identityId: "alice", identityActive: true, authenticatedAt: NOW - 60_000, aal: "aal1" },
    aal2Required: false,
    subjectActive: undefined,
    reauthSince: undefined,
    mfa: { required: false },
    now: NOW,
    ...overrides,
  };
}

describe("login decision", () => {
  it("accepts a signed-in, active person", () => {
    expect(decideLogin(input())).toEqual({ kind: "accept" });
  });

  it("asks someone without a session to sign in", () => {
    expect(decideLogin(input({ session: undefined }))).toEqual({ kind: "sign_in", refresh: false });
    expect(decideLogin(input({ session: undefined, aal2Required: true }))).toEqual({ kind: "step_up" });
  });

  it("never accepts an identity that is not active", () => {
    const session = { identityId: "alice", identityActive: false, authenticatedAt: NOW, aal: "aal1" };
    expect(decideLogin(input({ session }))).toEqual({ kind: "sign_in", refresh: false });
  });

  describe("a login Hydra remembers (skip)", () => {
    const remembered = { skip: true, subject: "alice", requestUrl: AUTH };

    it("is honoured for the same person, signed in to Kratos here, still active", () => {
      expect(decideLogin(input({ request: remembered, subjectActive: true }))).toEqual({ kind: "accept" });
    });

    it("is forgotten when the person signed out of Kratos (attack: signed-out people still got in)", () => {
      expect(decideLogin(input({ request: remembered, session: undefined, subjectActive: true }))).toEqual({
        kind: "forget_remembered_login",
      });
    });

    it("is forgotten when the identity was deactivated or deleted (attack: deactivated people still got in)", () => {
      expect(decideLogin(input({ request: remembered, subjectActive: false }))).toEqual({ kind: "forget_remembered_login" });
      expect(decideLogin(input({ request: remembered, subjectActive: undefined }))).toEqual({ kind: "forget_remembered_login" });
    });

    it("is forgotten when someone else is signed in to Kratos in this browser", () => {
      const bob = { identityId: "bob", identityActive: true, authenticatedAt: NOW, aal: "aal1" };
      expect(decideLogin(input({ request: remembered, session: bob, subjectActive: true }))).toEqual({ kind: "forget_remembered_login" });
    });
  });

  describe("prompt=login and max_age", () => {
    const promptLogin = { skip: false, subject: "", requestUrl: `${AUTH}&prompt=login` };

    it("asks for the password again unless a sign-in happened after Hera's own proof", () => {
      expect(decideLogin(input({ request: promptLogin }))).toEqual({ kind: "sign_in", refresh: true });
      expect(decideLogin(input({ request: promptLogin, reauthSince: NOW - 120_000 }))).toEqual({ kind: "accept" });
      expect(decideLogin(input({ request: promptLogin, reauthSince: NOW - 1_000 }))).toEqual({ kind: "sign_in", refresh: true });
    });

    it("treats max_age=0 as prompt=login and honours max_age by the Kratos session's age", () => {
      expect(decideLogin(input({ request: { ...promptLogin, requestUrl: `${AUTH}&max_age=0` } }))).toEqual({
        kind: "sign_in",
        refresh: true,
      });
      expect(decideLogin(input({ request: { ...promptLogin, requestUrl: `${AUTH}&max_age=300` } }))).toEqual({ kind: "accept" });
      expect(decideLogin(input({ request: { ...promptLogin, requestUrl: `${AUTH}&max_age=30` } }))).toEqual({
        kind: "sign_in",
        refresh: true,
      });
    });

    it("reads the requirement from the authorization request", () => {
      expect(freshnessRequirement(`${AUTH}&prompt=consent%20login`)).toEqual({ promptLogin: true, maxAgeSeconds: undefined });
      expect(freshnessRequirement(`${AUTH}&max_age=12`)).toEqual({ promptLogin: false, maxAgeSeconds: 12 });
      expect(freshnessRequirement(`${AUTH}&max_age=-1`)).toEqual({ promptLogin: false, maxAgeSeconds: undefined });
      expect(freshnessRequirement("not a url")).toEqual({ promptLogin: false, maxAgeSeconds: undefined });
    });
  });

  describe("a second factor where the domain requires one (IAM: Athena admins)", () => {
    const DAY = 24 * 60 * 60 * 1000;
    const withoutDevice = (graceEndsAt: number): MfaFacts => ({ required: true, enrolled: false, graceEndsAt });
    const withDevice: MfaFacts = { required: true, enrolled: true, graceEndsAt: NOW - 300 * DAY };
    const aal2 = { identityId: "alice", identityActive: true, authenticatedAt: NOW - 60_000, aal: "aal2" };

    it("accepts a session that signed in with a second factor", () => {
      expect(decideLogin(input({ session: aal2, mfa: withDevice }))).toEqual({ kind: "accept" });
      // Enrolling a device in settings adds it to the session (Kratos), so the identity may show none yet only in theory.
      expect(decideLogin(input({ session: aal2, mfa: withoutDevice(NOW - DAY) }))).toEqual({ kind: "accept" });
    });

    it("sends someone with a device but a password-only session to the second-factor step (attack: the password alone opened Athena)", () => {
      expect(decideLogin(input({ mfa: withDevice }))).toEqual({ kind: "step_up" });
    });

    it("sends an admin without a second factor to enrol one on the first sign-in (grace 0 days: it ended when the identity was created)", () => {
      expect(decideLogin(input({ mfa: withoutDevice(NOW - 1) }))).toEqual({ kind: "enrol_second_factor" });
      expect(decideLogin(input({ mfa: withoutDevice(NOW) }))).toEqual({ kind: "enrol_second_factor" });
      // An unreadable creation time has no grace.
      expect(decideLogin(input({ mfa: withoutDevice(0) }))).toEqual({ kind: "enrol_second_factor" });
    });

    it("accepts a password-only sign-in within the grace period, and says until when", () => {
      expect(decideLogin(input({ mfa: withoutDevice(NOW + 3 * DAY) }))).toEqual({ kind: "accept", mfaGraceEndsAt: NOW + 3 * DAY });
      expect(decideLogin(input({ mfa: withoutDevice(NOW + 1) }))).toEqual({ kind: "accept", mfaGraceEndsAt: NOW + 1 });
    });

    it("never lets the grace period excuse someone who has a device: they use it", () => {
      expect(decideLogin(input({ mfa: { required: true, enrolled: true, graceEndsAt: NOW + 30 * DAY } }))).toEqual({ kind: "step_up" });
    });

    it("applies after every other check: a remembered login, prompt=login and an inactive identity come first", () => {
      const remembered = { skip: true, subject: "alice", requestUrl: AUTH };
      expect(decideLogin(input({ request: remembered, subjectActive: true, mfa: withoutDevice(NOW - 1) }))).toEqual({
        kind: "enrol_second_factor",
      });
      expect(decideLogin(input({ request: remembered, subjectActive: true, mfa: withDevice }))).toEqual({ kind: "step_up" });
      expect(decideLogin(input({ request: remembered, subjectActive: true, session: aal2, mfa: withDevice }))).toEqual({ kind: "accept" });
      expect(decideLogin(input({ request: remembered, subjectActive: false, mfa: withDevice }))).toEqual({
        kind: "forget_remembered_login",
      });
      const promptLogin = { skip: false, subject: "", requestUrl: `${AUTH}&prompt=login` };
      expect(decideLogin(input({ request: promptLogin, session: aal2, mfa: withDevice }))).toEqual({ kind: "sign_in", refresh: true });
      expect(decideLogin(input({ session: { ...aal2, identityActive: false }, mfa: withDevice }))).toEqual({
        kind: "sign_in",
        refresh: false,
      });
    });

    it("changes nothing where the domain does not require one (CIAM by default)", () => {
      expect(decideLogin(input({ mfa: { required: false } }))).toEqual({ kind: "accept" });
    });

    it("counts a second factor only of a method the settings allow: aal2 through backup codes alone is not enough", () => {
      const allowing = (enrolled: boolean, graceEndsAt: number, allowedMethods: string[]): MfaFacts => ({
        required: true,
        enrolled,
        graceEndsAt,
        allowedMethods,
      });
      const byBackupCode = { ...aal2, methods: ["password", "lookup_secret"] };
      const byTotp = { ...aal2, methods: ["password", "totp"] };
      const totpOrKey = ["totp", "webauthn"];
      expect(decideLogin(input({ session: byTotp, mfa: allowing(true, 0, totpOrKey) }))).toEqual({ kind: "accept" });
      // Someone with an allowed device is asked for the second factor again (an aal2 login alone would find aal2 met).
      expect(decideLogin(input({ session: byBackupCode, mfa: allowing(true, 0, totpOrKey) }))).toEqual({ kind: "step_up", refresh: true });
      // Someone with no allowed device enrols one.
      expect(decideLogin(input({ session: byBackupCode, mfa: allowing(false, NOW - 1, totpOrKey) }))).toEqual({
        kind: "enrol_second_factor",
      });
      expect(decideLogin(input({ session: byBackupCode, mfa: allowing(false, NOW - 1, ["lookup_secret"]) }))).toEqual({ kind: "accept" });
    });
  });
  describe("prompt=none (no page may be shown)", () => {
    const silent = `${AUTH}&prompt=none`;

    it("still accepts what needs no page", () => {
      expect(decideLogin(input({ request: { skip: true, subject: "alice", requestUrl: silent }, subjectActive: true }))).toEqual({
        kind: "accept",
      });
    });

    it("answers login_required instead of a sign-in, a step-up or an enrolment page, as Hydra's oauth2 strategy does for prompt=none", () => {
      expect(decideLogin(input({ request: { skip: false, subject: "", requestUrl: silent }, session: undefined }))).toEqual({
        kind: "login_required",
        forgetRememberedLogin: false,
      });
      expect(
        decideLogin(input({ request: { skip: false, subject: "", requestUrl: silent }, session: undefined, aal2Required: true })),
      ).toEqual({
        kind: "login_required",
        forgetRememberedLogin: false,
      });
      const enrolled: MfaFacts = { required: true, enrolled: true, graceEndsAt: 0 };
      expect(decideLogin(input({ request: { skip: false, subject: "", requestUrl: silent }, mfa: enrolled }))).toEqual({
        kind: "login_required",
        forgetRememberedLogin: false,
      });
    });

    it("ends a remembered login it will not honour before answering login_required", () => {
      const remembered = { skip: true, subject: "alice", requestUrl: silent };
      expect(decideLogin(input({ request: remembered, session: undefined, subjectActive: true }))).toEqual({
        kind: "login_required",
        forgetRememberedLogin: true,
      });
    });

    it("reads prompt from the authorization request, among other prompt values", () => {
      expect(promptsNone(`${AUTH}&prompt=none`)).toBe(true);
      expect(promptsNone(`${AUTH}&prompt=login`)).toBe(false);
      expect(promptsNone(AUTH)).toBe(false);
      expect(promptsNone("not a url")).toBe(false);
    });
  });
});
