import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { startMailCatcher, type MailCatcher } from "./catcher";

/** One SMTP conversation, line by line, as a client that waits for each reply; returns the replies' codes. */
async function smtpSend(port: number, lines: string[]): Promise<number[]> {
  const socket = connect(port, "127.0.0.1");
  const codes: number[] = [];
  let buffered = "";
  const next = () =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        // A reply ends with a line "NNN text" (no dash after the code).
        const match = /^(\d{3}) .*\r\n/m.exec(buffered);
        if (!match) return false;
        buffered = buffered.slice((match.index ?? 0) + match[0].length);
        resolve(Number(match[1]));
        return true;
      };
      if (check()) return;
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        if (check()) socket.off("data", onData);
      };
      socket.on("data", onData);
      socket.once("error", reject);
    });
  codes.push(await next());
  let inData = false;
  for (const line of lines) {
    socket.write(`${line}\r\n`);
    // Message lines get no reply; the command lines and the final "." do.
    if (inData && line !== ".") continue;
    const code = await next();
    codes.push(code);
    inData = line === "DATA" && code === 354;
  }
  socket.end();
  return codes;
}

function message(to: string, subject: string, body: string[]): string[] {
  return [`From: sender@example.com`, `To: ${to}`, `Subject: ${subject}`, "Content-Type: text/plain; charset=utf-8", "", ...body];
}

describe("the dev mail catcher (SMTP in, maildev's REST API out)", () => {
  let directory: string;
  let smtpPort: number;
  let webPort: number;
  let catcher: MailCatcher;

  const start = async () =>
    startMailCatcher({
      smtpPort,
      webPort,
      mailDirectory: path.join(directory, "mail"),
      logFile: path.join(directory, "catcher.log"),
      buildDirectory: directory,
    });
  const inbox = async () =>
    (await (await fetch(`${catcher.apiUrl}/api/email`)).json()) as {
      id: string;
      subject: string;
      text: string;
      to: { address: string }[];
      time: string;
    }[];

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), "mail-catcher-"));
    [smtpPort, webPort] = [await freePort(), await freePort()];
    catcher = await start();
  });
  afterAll(async () => {
    await catcher?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it("answers its health check as maildev does", async () => {
    const response = await fetch(`${catcher.apiUrl}/api/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toBe(true);
  });

  it("keeps a mail handed over SMTP and lists it the way the e2e suites read it (dot-stuffing undone)", async () => {
    const codes = await smtpSend(smtpPort, [
      "EHLO test",
      "MAIL FROM:<sender@example.com>",
      "RCPT TO:<jane@example.com>",
      "DATA",
      ...message("jane@example.com", "Your code", ["Your code is 123456", "..a line that began with a dot"]),
      ".",
      "QUIT",
    ]);
    expect(codes).toEqual([220, 250, 250, 250, 354, 250, 221]);
    const [mail] = (await inbox()).filter((m) => m.to.some((t) => t.address === "jane@example.com"));
    expect(mail?.subject).toBe("Your code");
    // The CRLF before the final "." belongs to the message (RFC 5321 4.1.1.4).
    expect(mail?.text).toBe("Your code is 123456\n.a line that began with a dot\n");
    expect(Number.isNaN(Date.parse(mail?.time ?? ""))).toBe(false);
    expect(mail?.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it("refuses DATA before a recipient and commands before EHLO, as an SMTP server must", async () => {
    expect(await smtpSend(smtpPort, ["MAIL FROM:<a@example.com>", "QUIT"])).toEqual([220, 503, 221]);
    expect(await smtpSend(smtpPort, ["HELO test", "MAIL FROM:<a@example.com>", "DATA", "QUIT"])).toEqual([220, 250, 250, 503, 221]);
  });

  it("serves a mail's HTML under a CSP that runs no script, its source, and deletes it", async () => {
    await smtpSend(smtpPort, [
      "EHLO test",
      "MAIL FROM:<sender@example.com>",
      "RCPT TO:<html@example.com>",
      "DATA",
      "To: html@example.com",
      "Subject: Styled",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>Hello<script>alert(1)</script></p>",
      ".",
      "QUIT",
    ]);
    const mail = (await inbox()).find((m) => m.to.some((t) => t.address === "html@example.com"));
    const html = await fetch(`${catcher.apiUrl}/api/email/${mail?.id}/html`);
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html.headers.get("content-security-policy")).toContain("sandbox");
    expect(await html.text()).toBe("<p>Hello<script>alert(1)</script></p>\r\n");
    expect(await (await fetch(`${catcher.apiUrl}/api/email/${mail?.id}/source`)).text()).toContain("Subject: Styled");
    expect((await fetch(`${catcher.apiUrl}/api/email/${mail?.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await fetch(`${catcher.apiUrl}/api/email/${mail?.id}`)).status).toBe(404);
  });

  it("serves the inbox page, and still has the mail after a restart", async () => {
    const page = await fetch(`${catcher.inboxUrl.replace("localhost", "127.0.0.1")}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Olympus dev inbox");
    const before = (await inbox()).map((m) => m.id);
    await catcher.stop();
    catcher = await start();
    expect((await inbox()).map((m) => m.id)).toEqual(before);
  });
});
