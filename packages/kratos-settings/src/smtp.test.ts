import { describe, expect, it } from "vitest";
import { smtpConnectionUri, smtpSettingsFrom } from "./smtp";

const stored = (entries: Record<string, string>) => new Map(Object.entries(entries));

// How Kratos reads the URI: courier/smtp.go, NewSMTPClient (scheme picks TLS, disable_starttls, user info via url.Parse).
describe("smtpConnectionUri, as Kratos' courier/smtp.go NewSMTPClient reads it", () => {
  it("port 465 is implicit TLS (smtps://)", () => {
    expect(smtpConnectionUri({ host: "smtp.example.com", port: 465 })).toBe("smtps://smtp.example.com:465/");
  });

  it("other ports use smtp:// without disable_starttls, so Kratos insists on STARTTLS", () => {
    const uri = smtpConnectionUri({ host: "smtp.example.com", port: 587, username: "mailer", password: "pw" });
    expect(uri).toBe("smtp://mailer:pw@smtp.example.com:587/");
    expect(uri).not.toContain("disable_starttls");
  });

  it("security none is the only way to plain text; security tls on another port is smtps://", () => {
    expect(smtpConnectionUri({ host: "127.0.0.1", port: 1025, security: "none" })).toBe("smtp://127.0.0.1:1025/?disable_starttls=true");
    expect(smtpConnectionUri({ host: "smtp.example.com", port: 2465, security: "tls" })).toBe("smtps://smtp.example.com:2465/");
  });

  it("credentials with @ : / % and spaces survive URL parsing unchanged", () => {
    const username = "user@example.com";
    const password = "p@ss:w/rd%20 x?#";
    const uri = new URL(smtpConnectionUri({ host: "smtp.example.com", port: 587, username, password }));
    expect(uri.hostname).toBe("smtp.example.com");
    expect(decodeURIComponent(uri.username)).toBe(username);
    expect(decodeURIComponent(uri.password)).toBe(password);
    expect(uri.search).toBe("");
  });
});

describe("smtpSettingsFrom", () => {
  it("no host means no SMTP settings (Kratos keeps its base config)", () => {
    expect(smtpSettingsFrom(stored({ "smtp.port": "587", "smtp.username": "u" }))).toEqual({ invalid: [] });
  });

  it("reads every key; the port defaults to 587", () => {
    expect(
      smtpSettingsFrom(
        stored({
          "smtp.host": "smtp.example.com",
          "smtp.username": "u",
          "smtp.password": " secret ",
          "smtp.from_address": "no-reply@example.com",
          "smtp.from_name": "Example",
        }),
      ),
    ).toEqual({
      smtp: {
        host: "smtp.example.com",
        port: 587,
        username: "u",
        password: " secret ",
        fromAddress: "no-reply@example.com",
        fromName: "Example",
      },
      invalid: [],
    });
  });

  it("unusable values are left out and named, never guessed", () => {
    const read = smtpSettingsFrom(
      stored({ "smtp.host": "smtp.example.com", "smtp.port": "99999", "smtp.security": "ssl", "smtp.from_address": "x" }),
    );
    expect(read.smtp).toEqual({ host: "smtp.example.com", port: 587 });
    expect(read.invalid.sort()).toEqual(["smtp.from_address", "smtp.port", "smtp.security"]);
    expect(smtpSettingsFrom(stored({ "smtp.host": "bad host/x" }))).toEqual({ invalid: ["smtp.host"] });
  });
});
