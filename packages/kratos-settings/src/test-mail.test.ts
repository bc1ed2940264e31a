import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { sendTestMail, type SmtpSettings } from "./test-mail";

const PASSWORD = "correct horse battery staple";
const received: { from: string; to: string[]; body: string }[] = [];

let server: SMTPServer;
let port: number;
let silent: net.Server;
let silentPort: number;

const listen = (srv: { listen: (port: number, host: string, cb: () => void) => unknown }, address: () => unknown) =>
  new Promise<number>((resolve) => srv.listen(0, "127.0.0.1", () => resolve((address() as net.AddressInfo).port)));

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === PASSWORD) callback(null, { user: "mailer" });
      else callback(new Error(`bad credentials for ${auth.username}/${auth.password ?? ""}`));
    },
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          body,
        });
        callback();
      });
    },
  });
  port = await listen(server, () => server.server.address());
  // Accepts connections and never greets: a relay that hangs.
  silent = net.createServer(() => undefined);
  silentPort = await listen(silent, () => silent.address());
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const settings = (overrides: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: "127.0.0.1",
  port,
  username: "mailer",
  password: PASSWORD,
  fromAddress: "no-reply@olympus.test",
  security: "none",
  ...overrides,
});

describe("sendTestMail", () => {
  it("delivers one message to the given address through the relay", async () => {
    const result = await sendTestMail(settings(), "admin@olympus.test");
    expect(result).toMatchObject({ ok: true });
    expect(received.at(-1)).toMatchObject({ from: "no-reply@olympus.test", to: ["admin@olympus.test"] });
    expect(received.at(-1)?.body).toContain("Test mail from Olympus");
  });

  it("says authentication failed, without the password the server echoed", async () => {
    const wrong = "wrong-password-123";
    const result = await sendTestMail(settings({ password: wrong }), "admin@olympus.test");
    expect(result).toMatchObject({ ok: false, kind: "auth" });
    expect(result.ok ? "" : result.error).toMatch(/^authentication failed/);
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it("names host and port when the connection is refused", async () => {
    const probe = net.createServer();
    const freePort = await listen(probe, () => probe.address());
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await sendTestMail(settings({ port: freePort }), "admin@olympus.test");
    expect(result).toEqual({ ok: false, kind: "refused", error: `connection refused by 127.0.0.1:${freePort}` });
  });

  it("gives up within the timeout when the relay never answers", async () => {
    const started = Date.now();
    const result = await sendTestMail(settings({ port: silentPort }), "admin@olympus.test", { timeoutMs: 400 });
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // courier/smtp.go NewSMTPClient: smtp:// insists on STARTTLS, so a relay without it fails for Kratos and for the test alike.
  it("insists on STARTTLS unless told the relay is plain text, as Kratos' courier does", async () => {
    const result = await sendTestMail(settings({ security: undefined }), "admin@olympus.test");
    expect(result).toMatchObject({ ok: false, kind: "tls" });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("says when the host name does not resolve", async () => {
    const result = await sendTestMail(settings({ host: "no-such-host.invalid" }), "admin@olympus.test", { timeoutMs: 3_000 });
    expect(result).toEqual({ ok: false, kind: "dns", error: "the host name no-such-host.invalid could not be resolved" });
  });
});
