"use server";

import { z } from "zod";
import { sendTestMail } from "@olympus/kratos-settings";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { athenaConfig } from "@/shared/server/config";
import { settingsStore } from "@/shared/server/olympus-db";
import { createCooldown, TEST_MAIL_INTERVAL_MS } from "./cooldown";
import { readStoredSmtp } from "./stored-smtp";

const cooldown = createCooldown(TEST_MAIL_INTERVAL_MS);

/**
 * Sends a test mail through the STORED SMTP settings (not the form's unsaved
 * text) to the signed-in admin's own address: nobody can use it to mail a
 * third party. The outcome, never the password, is audited.
 */
export const sendSmtpTestMail = adminAction(
  { action: "settings.smtp_test_mail", input: z.object({}), target: () => "smtp" },
  async (_input, { admin }) => {
    if (!admin.email) throw new AdminActionError("Your account has no email address to send the test mail to.");
    const wait = cooldown.take(admin.id);
    if (!wait.ok)
      throw new AdminActionError(`One test mail every ${TEST_MAIL_INTERVAL_MS / 1000} s: try again in ${wait.retryAfterSeconds} s.`);
    const stored = await readStoredSmtp(await settingsStore());
    if (!stored.ok) throw new AdminActionError(`Save the SMTP ${stored.missing.join(", ")} first: the test uses the stored settings.`);
    const result = await sendTestMail(stored.smtp, admin.email);
    const where = `${stored.smtp.host}:${stored.smtp.port}`;
    if (!result.ok) throw new AdminActionError(`The test mail was not sent: ${result.error}.`);
    return {
      data: { to: admin.email },
      details: { domain: athenaConfig().domain, relay: where, to: admin.email },
      message: `Test mail sent to ${admin.email} through ${where}.`,
    };
  },
);
