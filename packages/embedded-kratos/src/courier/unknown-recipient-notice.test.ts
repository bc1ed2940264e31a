import { afterAll, describe, expect, it } from "vitest";
import { loadKratosConfig } from "../config/load";
import { Database } from "../storage/database";
import { CIAM_CONFIG } from "../testing/harness";
import { Courier } from "./courier";
import { renderUnknownRecipientNotice, type UnknownRecipientTemplate } from "./unknown-recipient-notice";

/**
 * The notice `notify_unknown_recipients` sends to an address no account
 * holds, as the four senders build it (code_sender.go SendRecoveryCode,
 * SendVerificationCode; link/sender.go SendRecoveryLink,
 * SendVerificationLink): an e-mail of the *_invalid template whose model is
 * the *InvalidModel's To and RequestURL.
 */
describe("renderUnknownRecipientNotice", () => {
  // Rendering reads templates only; the pool never connects.
  const db = new Database("postgres://unused@127.0.0.1:1/unused");
  const courier = new Courier(loadKratosConfig(CIAM_CONFIG, { warn: () => {} }), db);
  afterAll(() => db.close());

  it("renders each *_invalid template as an e-mail to the address, its model To and RequestURL", async () => {
    const templates: UnknownRecipientTemplate[] = [
      "recovery_invalid",
      "recovery_code_invalid",
      "verification_invalid",
      "verification_code_invalid",
    ];
    for (const templateType of templates) {
      const requestUrl = `https://ciam.localhost/self-service/${templateType}`;
      const message = await renderUnknownRecipientNotice(courier, {
        templateType,
        recipient: "nobody@example.com",
        requestUrl,
        signal: new AbortController().signal,
      });
      expect(message).toMatchObject({
        type: "email",
        channel: "email",
        recipient: "nobody@example.com",
        templateType,
        templateData: { To: "nobody@example.com", RequestURL: requestUrl },
        requestHeaders: {},
      });
      expect(Object.keys(message.templateData)).toEqual(["To", "RequestURL"]);
      expect(message.subject, templateType).not.toBe("");
      expect(message.body, templateType).not.toBe("");
    }
  });
});
