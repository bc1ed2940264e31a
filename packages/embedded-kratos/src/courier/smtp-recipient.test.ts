import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, uniqueEmail, type TestPostgres } from "../testing/harness";
import { startMailKratos, TestSmtpServer, type MailKratos } from "../selfservice/strategy/code/test-helpers";
import { isOneMailbox } from "./smtp";

/**
 * courier/smtp.go QueueEmail refuses a recipient net/mail.ParseAddress
 * refuses: one address, never a list. Recovery v2 sends its unknown-address
 * notice to the address as typed (strategy_recovery.go), so without the
 * check a typed list, or a line break and a Bcc header, mailed strangers.
 */
describe("one recipient per e-mail", () => {
  it("takes plain addresses and refuses lists, brackets, quotes and line breaks", () => {
    for (const to of ["ada@example.com", "a.b+tag@sub.example.org", "jürgen@bücher.de"]) expect(isOneMailbox(to)).toBe(true);
    for (const to of [
      "a@x.com, b@y.com",
      "a@x.com;b@y.com",
      "x@example.com\r\nBcc: v@y.com",
      "Bob <bob@x.com>",
      '"a b"@x.com',
      "a@b@c",
      "plain",
    ])
      expect(isOneMailbox(to)).toBe(false);
  });

  describe("recovery v2's unknown-address notice", () => {
    let pg: TestPostgres;
    let smtp: TestSmtpServer;
    let kratos: MailKratos;
    beforeAll(async () => {
      [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
      kratos = await startMailKratos(pg, "ciam_smtp_recipient", smtp, {
        feature_flags: { choose_recovery_address: true },
        selfservice: { flows: { recovery: { enabled: true, use: "code", notify_unknown_recipients: true } } },
      });
    });
    afterAll(async () => {
      await kratos?.close();
      await smtp?.stop();
      await pg?.stop();
    });

    const submit = async (address: string) => {
      const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
      const res = await fetch(flow.ui.action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ method: "code", recovery_address: address }),
      });
      expect(res.status).toBe(200);
    };

    it("mails nobody on a typed list or a line break; one typed address still gets its notice", async () => {
      const victims = [uniqueEmail("v1"), uniqueEmail("v2")];
      await submit(victims.join(", "));
      await submit(`${uniqueEmail("x")}\r\nBcc: ${victims[0]}`);
      // Sent after the hostile ones, from the same queue: once it is in, the others had their turn.
      const stranger = uniqueEmail("unknown");
      await submit(stranger);
      await smtp.waitFor(stranger);
      for (const victim of victims) expect(smtp.mailsTo(victim)).toEqual([]);
    });
  });
});
