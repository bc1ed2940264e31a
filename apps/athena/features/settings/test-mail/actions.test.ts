import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { SmtpSettings, TestMailResult } from "@olympus/kratos-settings";

const state: {
  stored: Map<string, string>;
  sent: { smtp: SmtpSettings; to: string }[];
  events: AuditEventInput[];
  answer: TestMailResult;
} = {
  stored: new Map(),
  sent: [],
  events: [],
  answer: { ok: true, messageId: "m1", response: "250 OK" },
};
let adminId = "a1";
vi.mock("@/shared/auth/session", () => ({
  currentSession: async () => ({ status: "active", admin: { id: adminId, email: "admin@olympus.local", name: null, role: "admin" } }),
}));
vi.mock("@/shared/server/audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("@/shared/server/config", () => ({ athenaConfig: () => ({ domain: "ciam" }) }));
vi.mock("@/shared/server/olympus-db", () => ({
  auditLog: async () => ({}),
  settingsStore: async () => ({ get: async (key: string) => state.stored.get(key) }),
}));
vi.mock("@olympus/kratos-settings", () => ({
  sendTestMail: async (smtp: SmtpSettings, to: string) => (state.sent.push({ smtp, to }), state.answer),
}));

const { sendSmtpTestMail } = await import("./actions");

beforeEach(() => {
  state.stored = new Map([
    ["smtp.host", "smtp.example.com"],
    ["smtp.port", "587"],
    ["smtp.username", "mailer"],
    ["smtp.password", "unsealed-password"],
    ["smtp.from_address", "no-reply@example.com"],
    ["smtp.security", "starttls"],
  ]);
  state.sent = [];
  state.events = [];
  state.answer = { ok: true, messageId: "m1", response: "250 OK" };
});

describe("send test mail", () => {
  it("sends with the stored settings to the admin's own address and audits without the password", async () => {
    adminId = "first";
    expect(await sendSmtpTestMail({})).toMatchObject({
      ok: true,
      message: "Test mail sent to admin@olympus.local through smtp.example.com:587.",
    });
    expect(state.sent).toEqual([
      {
        to: "admin@olympus.local",
        smtp: {
          host: "smtp.example.com",
          port: 587,
          username: "mailer",
          password: "unsealed-password",
          fromAddress: "no-reply@example.com",
          security: "starttls",
        },
      },
    ]);
    expect(state.events[0]).toMatchObject({ action: "settings.smtp_test_mail", outcome: "success" });
    expect(JSON.stringify(state.events)).not.toContain("unsealed-password");
  });

  it("allows one per admin every 10 seconds", async () => {
    adminId = "second";
    await sendSmtpTestMail({});
    expect(await sendSmtpTestMail({})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^One test mail every 10 s/) } });
    expect(state.sent).toHaveLength(1);
    adminId = "third";
    expect(await sendSmtpTestMail({})).toMatchObject({ ok: true });
  });

  it("shows the relay's failure in words and audits it as a failure", async () => {
    adminId = "fourth";
    state.answer = { ok: false, kind: "refused", error: "connection refused by smtp.example.com:587" };
    expect(await sendSmtpTestMail({})).toEqual({
      ok: false,
      error: { code: "rejected", message: "The test mail was not sent: connection refused by smtp.example.com:587." },
    });
    expect(state.events[0]).toMatchObject({ outcome: "failure" });
  });

  it("asks for the missing settings before sending anything", async () => {
    adminId = "fifth";
    state.stored.delete("smtp.host");
    expect(await sendSmtpTestMail({})).toMatchObject({
      ok: false,
      error: { message: "Save the SMTP host first: the test uses the stored settings." },
    });
    expect(state.sent).toEqual([]);
  });
});
