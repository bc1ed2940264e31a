import type { Page } from "@playwright/test";
import { codeIn, waitForMail } from "../hera/support/mail";
import { activeSessionsOf, identityIdOf, shownClaims, whoamiStatus } from "./support/customers";
import { expect, test } from "./support/fixtures";

const KRATOS_SESSION_COOKIE = "ciam_kratos_session";

/** Ory Elements' stable test ids for flow inputs. */
const input = (page: Page, name: string) => page.getByTestId(`ory/form/node/input/${name}`);

// The customer's way through a relying party, in one browser, in order:
// sign up (Hydra → Hera registration → mailed code → verification → back to
// the client, consent skipped for the first-party demo), sign out
// (RP-initiated logout through Hera), sign in again with the password.
test("a customer signs up at the demo shop through Hera, verifies the address, signs out and signs in again", async ({
  page,
  demoStack,
}) => {
  test.setTimeout(240_000);
  const email = `shopper-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = "demo-shop-password-42";
  const hera = demoStack.hera;
  let identityId = "";
  let subject = "";

  await test.step("'Sign up' at the demo app lands on Hera CIAM's registration form", async () => {
    await page.goto(demoStack.demo);
    await expect(page.getByTestId("signed-out")).toBeVisible();
    await page.getByTestId("sign-up").click();
    // Hydra sent prompt=registration to urls.registration; Hera started a Kratos registration flow for it.
    await page.waitForURL(new RegExp(`^${hera}/registration\\?flow=`));
    await expect(input(page, "traits.email")).toBeVisible();
  });

  await test.step("registers and verifies the address with the mailed code", async () => {
    const since = new Date();
    await input(page, "traits.email").fill(email);
    await input(page, "traits.name.first").fill("Grace");
    await input(page, "traits.name.last").fill("Shopper");
    await input(page, "password").fill(password);
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await page.waitForURL(new RegExp(`^${hera}/verification\\?flow=`));
    identityId = await identityIdOf(demoStack, email);

    const mail = await waitForMail(demoStack.inboxApi, email, /confirm your email/i, since);
    await input(page, "code").fill(codeIn(mail.text));
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText(/successfully verified/i)).toBeVisible();
  });

  await test.step("continues to the demo app, which shows the verified customer's email and ID token claims", async () => {
    // The verification flow returns to the OAuth2 login (after_verification_return_to); consent is skipped for ciam-demo-rp.
    await page.getByRole("link", { name: /continue/i }).click();
    await page.waitForURL(`${demoStack.demo}/`);
    await expect(page.getByTestId("email")).toHaveText(email);
    const claims = await shownClaims(page);
    expect(claims.sub).toBe(identityId);
    expect(claims.email).toBe(email);
    expect(claims.email_verified).toBe(true);
    expect(claims.iss).toBe(demoStack.issuer);
    expect([claims.aud].flat()).toContain(demoStack.clientId);
    expect(claims.nonce).not.toBe("");
    expect(claims.amr).toContain("password");
    subject = claims.sub;
  });

  await test.step("signs out: RP-initiated logout through Hera ends the Kratos session too", async () => {
    const sessionCookie = (await page.context().cookies(hera)).find((c) => c.name === KRATOS_SESSION_COOKIE);
    expect(sessionCookie, "Kratos session cookie after sign-up").toBeDefined();
    if (!sessionCookie) return;
    expect(await whoamiStatus(demoStack, sessionCookie)).toBe(200);
    expect(await activeSessionsOf(demoStack, identityId)).toHaveLength(1);

    const logoutHops: string[] = [];
    page.on("request", (request) => {
      if (request.isNavigationRequest()) logoutHops.push(new URL(request.url()).origin + new URL(request.url()).pathname);
    });
    await page.getByTestId("sign-out").click();
    await page.waitForURL(`${demoStack.demo}/`);
    await expect(page.getByTestId("signed-out")).toBeVisible();
    expect(logoutHops).toContain(`${demoStack.issuer}oauth2/sessions/logout`);
    expect(logoutHops).toContain(`${hera}/logout`);

    expect(await whoamiStatus(demoStack, sessionCookie)).toBe(401);
    expect(await activeSessionsOf(demoStack, identityId)).toEqual([]);
  });

  await test.step("signs in as the existing customer: Hera asks for the password, the demo app shows the same customer", async () => {
    await page.getByTestId("sign-in").click();
    await page.waitForURL(new RegExp(`^${hera}/login\\?flow=`));
    await input(page, "identifier").fill(email);
    await input(page, "password").fill(password);
    await page.getByRole("button", { name: "Sign in with password" }).click();
    await page.waitForURL(`${demoStack.demo}/`);
    await expect(page.getByTestId("email")).toHaveText(email);
    const claims = await shownClaims(page);
    expect(claims.sub).toBe(subject);
    expect(claims.email_verified).toBe(true);
  });
});
