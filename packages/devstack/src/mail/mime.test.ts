import { describe, expect, it } from "vitest";
import { decodeWords, parseAddresses, parseMessage } from "./mime";

/** A courier mail as nodemailer writes it: multipart/alternative, quoted-printable text, base64 HTML, an encoded subject. */
const COURIER_MAIL = [
  'From: "Olympus CIAM" <no-reply@ciam.localhost>',
  "To: jane@example.com",
  "Subject: =?UTF-8?Q?Please_verify_your_email_address_=E2=9C=93?=",
  "Date: Tue, 03 Dec 2024 10:00:00 +0000",
  "Message-ID: <abc@ciam.localhost>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="--_b1"',
  "",
  "----_b1",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Hi, please verify your account by entering the following code:",
  "",
  "123456",
  "",
  "or clicking the following link: http://ciam.localhost:3000/.ory/kratos/self-serv=",
  "ice/verification?code=3D123456&flow=3Dabc",
  "----_b1",
  "Content-Type: text/html; charset=utf-8",
  "Content-Transfer-Encoding: base64",
  "",
  Buffer.from("<p>Hi, your code is <b>123456</b> – Grüße</p>").toString("base64"),
  "----_b1--",
  "",
].join("\r\n");

describe("the mail catcher's MIME reading", () => {
  it("reads what the couriers send: encoded subject, addresses, the text and HTML parts decoded", () => {
    const mail = parseMessage(Buffer.from(COURIER_MAIL));
    expect(mail.subject).toBe("Please verify your email address ✓");
    expect(mail.from).toEqual([{ address: "no-reply@ciam.localhost", name: "Olympus CIAM" }]);
    expect(mail.to).toEqual([{ address: "jane@example.com" }]);
    expect(mail.date?.toISOString()).toBe("2024-12-03T10:00:00.000Z");
    expect(mail.text).toBe(
      "Hi, please verify your account by entering the following code:\n\n123456\n\nor clicking the following link: http://ciam.localhost:3000/.ory/kratos/self-service/verification?code=123456&flow=abc",
    );
    expect(mail.html).toBe("<p>Hi, your code is <b>123456</b> – Grüße</p>");
    expect(mail.attachments).toEqual([]);
  });

  it("turns an HTML-only mail into text, and lists a part it cannot show as an attachment", () => {
    const raw = [
      "To: a@example.com",
      'Content-Type: multipart/mixed; boundary="x"',
      "",
      "--x",
      "Content-Type: text/html",
      "",
      '<p>Code: <a href="http://x/y?c=1">verify</a></p><br>Thanks &amp; bye',
      "--x",
      'Content-Type: application/pdf; name="invoice.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.4").toString("base64"),
      "--x--",
    ].join("\r\n");
    const mail = parseMessage(Buffer.from(raw));
    expect(mail.text).toBe("Code: verify (http://x/y?c=1)\n\nThanks & bye");
    expect(mail.attachments).toEqual([{ filename: "invoice.pdf", contentType: "application/pdf", size: 8 }]);
  });

  it("decodes RFC 2047 words (B and Q, adjacent words joined) and address lists with quoted names", () => {
    expect(decodeWords("=?utf-8?B?R3LDvMOfZQ==?= =?utf-8?Q?_aus_K=C3=B6ln?=")).toBe("Grüße aus Köln");
    expect(decodeWords("plain text")).toBe("plain text");
    expect(parseAddresses('"Doe, Jane" <jane@example.com>, bob@example.com, =?utf-8?Q?J=C3=BCrgen?= <j@example.com>')).toEqual([
      { address: "jane@example.com", name: "Doe, Jane" },
      { address: "bob@example.com" },
      { address: "j@example.com", name: "Jürgen" },
    ]);
  });
});
