import type { Page } from "@playwright/test";
import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import { authorization, createClient, redeem, relyingParty, type TestClient } from "./support/oauth2";
import { submitPassword } from "./support/ui";

const PASSWORD = "relying-party-pass-77";

/** Every page the browser showed (path and query), to tell "consent shown" from "consent skipped". */
function visitedPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) {
      const url = new URL(frame.url());
      paths.push(`${url.pathname}${url.search}`);
    }
  });
  return paths;
}

const shown = (paths: string[], path: string) => paths.some((p) => p.startsWith(path));

async function arriveAtClient(page: Page, client: TestClient): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(client.redirectUri));
  return new URL(page.url());
}

test.describe("Hera CIAM as the OAuth2 login and consent app", () => {
  test("without a session: sign-in form, then consent, then an ID token with the customer's claims", async ({ page, stack }) => {
    const email = uniqueEmail("rp");
    const identityId = await createCustomer(stack.ciam, email, PASSWORD);
    const client = await createClient(stack.ciam, { name: "Bookshop", firstParty: false });
    const rp = await relyingParty(stack.ciam, client);

    const auth = await authorization(rp, client);
    await page.goto(auth.url.href);
    await expect(page).toHaveURL(/\/login\?flow=/);
    await submitPassword(page, email, PASSWORD);

    await expect(page).toHaveURL(/\/consent\?consent_challenge=/);
    // Hera accepted the login with the Kratos session's AAL and methods; Hydra hands them to consent.
    const challenge = new URL(page.url()).searchParams.get("consent_challenge") ?? "";
    const consentRequest = await fetch(`${stack.ciam.hydraAdmin}/admin/oauth2/auth/requests/consent?consent_challenge=${challenge}`, {
      headers: { Authorization: `Bearer ${stack.ciam.adminToken}` },
    });
    expect(await consentRequest.json()).toMatchObject({ subject: identityId, acr: "aal1", amr: ["password"] });
    await expect(page.getByTestId("consent-client")).toHaveText("Bookshop");
    await expect(page.getByTestId("scope-email")).toBeVisible();
    await expectAccessible(page, "consent");
    await page.getByTestId("consent-allow").click();

    const callback = await arriveAtClient(page, client);
    const { claims } = await redeem(rp, callback.href, auth);
    expect(claims.sub).toBe(identityId);
    expect(claims).toMatchObject({ email, email_verified: true, name: "Grace Hopper" });
    expect(claims).not.toHaveProperty("iam_admin_role");
  });

  test("with an existing session: no form; consent asked again unless remembered", async ({ page, stack }) => {
    const email = uniqueEmail("rp-session");
    await createCustomer(stack.ciam, email, PASSWORD);
    const client = await createClient(stack.ciam, { name: "Music store", firstParty: false });
    const rp = await relyingParty(stack.ciam, client);

    // Sign in on Hera first: the Kratos session is what lets Hera skip the form.
    await page.goto(`${stack.ciam.hera}/login`);
    await submitPassword(page, email, PASSWORD);
    await page.waitForURL(`${stack.ciam.hera}/`);

    const paths = visitedPaths(page);
    const first = await authorization(rp, client);
    await page.goto(first.url.href);
    await expect(page).toHaveURL(/\/consent\?consent_challenge=/);
    expect(shown(paths, "/login?flow=")).toBe(false); // the Kratos session answers the challenge: no form
    await page.getByTestId("consent-remember").check();
    await page.getByTestId("consent-allow").click();
    await redeem(rp, (await arriveAtClient(page, client)).href, first);

    paths.length = 0;
    const second = await authorization(rp, client);
    await page.goto(second.url.href);
    const callback = await arriveAtClient(page, client);
    expect(shown(paths, "/consent")).toBe(false); // remembered: granted without asking
    const { claims } = await redeem(rp, callback.href, second);
    expect(claims.email).toBe(email);
  });

  test("a first-party client (skip_consent) is granted without a consent screen", async ({ page, stack }) => {
    const email = uniqueEmail("rp-first");
    await createCustomer(stack.ciam, email, PASSWORD);
    const client = await createClient(stack.ciam, { name: "Olympus Shop", firstParty: true });
    const rp = await relyingParty(stack.ciam, client);
    const paths = visitedPaths(page);

    const auth = await authorization(rp, client, "openid email");
    await page.goto(auth.url.href);
    await submitPassword(page, email, PASSWORD);
    const callback = await arriveAtClient(page, client);
    expect(shown(paths, "/consent")).toBe(false);
    const { claims } = await redeem(rp, callback.href, auth);
    expect(claims).toMatchObject({ email });
    expect(claims).not.toHaveProperty("name"); // profile was not requested
  });

  test("denying consent sends access_denied back to the client", async ({ page, stack }) => {
    const email = uniqueEmail("rp-deny");
    await createCustomer(stack.ciam, email, PASSWORD);
    const client = await createClient(stack.ciam, { name: "Nosy app", firstParty: false });
    const rp = await relyingParty(stack.ciam, client);

    const auth = await authorization(rp, client);
    await page.goto(auth.url.href);
    await submitPassword(page, email, PASSWORD);
    await page.getByTestId("consent-deny").click();
    const callback = await arriveAtClient(page, client);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(auth.state);
    expect(callback.searchParams.has("code")).toBe(false);
  });

  test("RP-initiated logout ends the Kratos session and returns to the client", async ({ page, stack }) => {
    const email = uniqueEmail("rp-logout");
    await createCustomer(stack.ciam, email, PASSWORD);
    const client = await createClient(stack.ciam, { name: "Logout app", firstParty: true });
    const rp = await relyingParty(stack.ciam, client);

    const auth = await authorization(rp, client);
    await page.goto(auth.url.href);
    await submitPassword(page, email, PASSWORD);
    const { tokens } = await redeem(rp, (await arriveAtClient(page, client)).href, auth);
    expect((await page.context().cookies(stack.ciam.hera)).map((c) => c.name)).toContain("ciam_kratos_session");

    const { buildEndSessionUrl } = await import("openid-client");
    const endSession = buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token ?? "",
      post_logout_redirect_uri: client.postLogoutRedirectUri,
      state: "bye",
    });
    await page.goto(endSession.href);
    await page.waitForURL((url) => url.href.startsWith(client.postLogoutRedirectUri));
    expect(new URL(page.url()).searchParams.get("state")).toBe("bye");
    expect((await page.context().cookies(stack.ciam.hera)).map((c) => c.name)).not.toContain("ciam_kratos_session");

    // Signed out everywhere: the next authorization asks for the password again.
    const again = await authorization(rp, client);
    await page.goto(again.url.href);
    await expect(page).toHaveURL(/\/login\?flow=/);
  });

  test("an unknown login challenge shows an error instead of a form", async ({ page, stack }) => {
    await page.goto(`${stack.ciam.hera}/login?login_challenge=not-a-real-challenge`);
    await expect(page.getByTestId("challenge-error")).toBeVisible();
  });
});
