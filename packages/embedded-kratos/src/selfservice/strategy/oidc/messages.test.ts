import { describe, expect, it } from "vitest";
import { oidcMessages } from "./messages";

/** text/message_login.go NewInfoLoginLinkMessage: the identifier and the provider are written with %q. */
describe("the login-to-link message", () => {
  it("quotes the identifier and the provider as strconv.Quote does", () => {
    const message = oidcMessages.loginToLink("a\u00a0b@example.com", "Git\u200bHub", "https://k/login", null, null);
    expect(message.text).toBe(
      'You tried to sign in with "a\\u00a0b@example.com", but that email is already used by another account. Sign in to your account with one of the options below to add your account "a\\u00a0b@example.com" at "Git\\u200bHub" as another way to sign in.',
    );
  });
});
