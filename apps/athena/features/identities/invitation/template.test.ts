import { describe, expect, it } from "vitest";
import { checkSetting } from "@/features/settings/catalog";
import { defaultInvitationTemplate, renderInvitation } from "./template";

const values = {
  link: "https://ciam.example/self-service/recovery?flow=f&token=t",
  expires_at: "2026-12-05 10:00 UTC",
  email: "ines@example.com",
  name: "Ines",
};

describe("the invitation mail", () => {
  it("is an invitation, not a recovery notice, in each domain's default", () => {
    for (const domain of ["ciam", "iam"] as const) {
      const { subject, text } = renderInvitation(defaultInvitationTemplate(domain), values);
      expect(subject).not.toMatch(/recover/i);
      expect(text).toContain(values.link);
      expect(text).toContain("Hello Ines,");
      expect(text).not.toMatch(/ignore|didn't ask|did not ask/i);
    }
    expect(defaultInvitationTemplate("iam").subject).not.toBe(defaultInvitationTemplate("ciam").subject);
  });

  it("fills the placeholders, keeps unknown ones visible and keeps the subject on one line", () => {
    const rendered = renderInvitation({ subject: "Hi {{ name }}\nBcc: x", body: "{{link}} {{unknown}}" }, values);
    expect(rendered).toEqual({ subject: "Hi Ines Bcc: x", text: `${values.link} {{unknown}}` });
  });

  it("is stored only with {{link}} in its body", () => {
    expect(checkSetting("invitation.body", "Welcome!", false)).toEqual({
      ok: false,
      rule: "must contain {{link}}, where the sign-in link goes",
    });
    expect(checkSetting("invitation.body", "Welcome:\r\n{{link}}\r\n", false)).toEqual({
      ok: true,
      value: "Welcome:\n{{link}}",
      secret: false,
    });
    expect(checkSetting("invitation.subject", "Line\nbreak", false)).toEqual({ ok: false, rule: "one line, without line breaks" });
  });
});
