import type { Page } from "@playwright/test";

/**
 * Gives the page's browser a platform authenticator (Chromium's virtual one,
 * through CDP): a passkey-capable device that verifies its user without a
 * prompt, so WebAuthn ceremonies run unattended. Lives as long as the page.
 */
export async function addVirtualPasskeyDevice(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}
