import { createPerson, whoami } from "./support/identities";
import { authorization, createTestClient, redeem, waitForCallback } from "./support/oauth2";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { submitPassword } from "./support/ui";

// Attack: sign-out by someone else's ID token. Anyone can get an ID token for their own
// account; before the fix a logout link carrying the attacker's token as id_token_hint
// signed the victim out of Hera without a question. Real Hydra makes the logout request
// about the hint's subject; Hera now signs out silently only when that subject is the
// person signed in, and asks otherwise.

test("a logout link with the attacker's id_token_hint does not sign the victim out", async ({ browser, stack }) => {
  const client = await createTestClient(stack.ciam, "logout-hint");
  const attacker = await createPerson(stack.ciam, uniqueEmail("hint-attacker"));
  const victim = await createPerson(stack.ciam, uniqueEmail("hint-victim"));

  const attackerContext = await browser.newContext();
  const victimContext = await browser.newContext();
  try {
    const attackerPage = await attackerContext.newPage();
    const auth = await authorization(client);
    await attackerPage.goto(auth.url.href);
    await attackerPage.waitForURL(/\/login\?flow=/);
    await submitPassword(attackerPage, attacker.email, attacker.password);
    const tokens = await redeem(client, await waitForCallback(attackerPage, client), auth);
    const idToken = tokens.id_token ?? "";
    expect(idToken).not.toBe("");

    // The victim uses the same kind of client: Hydra and Kratos both know them in this browser.
    const victimPage = await victimContext.newPage();
    const victimAuth = await authorization(client);
    await victimPage.goto(victimAuth.url.href);
    await victimPage.waitForURL(/\/login\?flow=/);
    await submitPassword(victimPage, victim.email, victim.password);
    await redeem(client, await waitForCallback(victimPage, client), victimAuth);
    const logout = new URL(`${stack.ciam.issuer}oauth2/sessions/logout`);
    logout.searchParams.set("id_token_hint", idToken);
    logout.searchParams.set("post_logout_redirect_uri", client.postLogoutRedirectUri);
    logout.searchParams.set("state", "attack");
    await victimPage.goto(logout.href);
    await victimPage.waitForLoadState("networkidle").catch(() => undefined);

    const session = (await victimContext.cookies(stack.ciam.hera)).find((cookie) => cookie.name === stack.ciam.sessionCookie);
    expect(session, "the victim's session cookie was cleared").toBeDefined();
    expect((await whoami(stack.ciam, session?.value ?? "")).status, "the victim's Kratos session ended").toBe(200);
    // If a question is shown at all, it is Hera's confirmation, which the victim can decline.
    if (new URL(victimPage.url()).origin === stack.ciam.hera && new URL(victimPage.url()).pathname === "/logout") {
      await expect(victimPage.getByTestId("logout-stay")).toBeVisible();
    }
  } finally {
    await attackerContext.close();
    await victimContext.close();
  }
});

test("the person's own client still signs them out without a question", async ({ page, stack }) => {
  const client = await createTestClient(stack.ciam, "logout-own");
  const customer = await createPerson(stack.ciam, uniqueEmail("hint-own"));
  const auth = await authorization(client);
  await page.goto(auth.url.href);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, customer.email, customer.password);
  const tokens = await redeem(client, await waitForCallback(page, client), auth);
  const session = (await page.context().cookies(stack.ciam.hera)).find((cookie) => cookie.name === stack.ciam.sessionCookie);

  const logout = new URL(`${stack.ciam.issuer}oauth2/sessions/logout`);
  logout.searchParams.set("id_token_hint", tokens.id_token ?? "");
  logout.searchParams.set("post_logout_redirect_uri", client.postLogoutRedirectUri);
  await page.goto(logout.href);
  await page.waitForURL((url) => url.href.startsWith(client.postLogoutRedirectUri));
  expect((await whoami(stack.ciam, session?.value ?? "")).status).toBe(401);
});
