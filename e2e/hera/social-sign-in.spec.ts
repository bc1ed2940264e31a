import type { Page } from "@playwright/test";
import { TestOidcProvider } from "@olympus/embedded-kratos/testing/oidc-provider";
import { signInToAthena } from "../security/support/athena";
import { clearCiamSettings } from "../support/ciam-settings";
import { expect, test, uniqueEmail } from "../security/support/fixtures";
import { createPerson, identityOf } from "../security/support/identities";
import type { SecurityStack } from "../security/support/stack";
import { input } from "../security/support/ui";

// Social sign-in end to end: a real OpenID Connect provider (oidc-provider) runs in the test, an
// admin adds it in Athena CIAM's settings, the settings reach Kratos' config overlay (which the
// running Kratos reloads), and a customer signs up and in with it at Hera. An address already
// used by a password account is linked only after that password is proven.

const PROVIDER_ID = "corp";
const LABEL = "Corporate";

async function addProviderInAthena(page: Page, stack: SecurityStack, provider: TestOidcProvider): Promise<void> {
  await signInToAthena(page, stack.ciam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
  await page.goto(`${stack.ciam.athena}/settings`);
  const section = page.getByTestId("social-sign-in");
  await section.getByRole("button", { name: "Add provider" }).click();
  const form = page.getByRole("form", { name: "Add a provider" });
  await form.getByLabel("Provider id").fill(PROVIDER_ID);
  await form.getByLabel("Button label").fill(LABEL);
  await form.getByLabel("Issuer URL").fill(provider.issuer);
  await form.getByLabel("Client id").fill(provider.clientId);
  await form.getByLabel("Client secret").fill(provider.clientSecret);
  await form.getByLabel("Scopes").fill("openid email profile");
  await form.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByTestId("social-providers")).toContainText(LABEL);
}

/** Kratos reloads its overlay within moments of the save: waits until Hera's login shows the provider's button. */
async function openLoginWithProvider(page: Page, hera: string): Promise<void> {
  const button = page.getByRole("button", { name: `Sign in with ${LABEL}` });
  await expect
    .poll(
      async () => {
        await page.goto(`${hera}/login`);
        await page.waitForURL(/\/login\?flow=/);
        return button.isVisible();
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
}

function credentialTypes(identity: Record<string, unknown>): string[] {
  const credentials = identity.credentials;
  return typeof credentials === "object" && credentials !== null ? Object.keys(credentials).sort() : [];
}

let provider: TestOidcProvider;

test.beforeAll(async ({ stack }) => {
  provider = await TestOidcProvider.start();
  // Kratos' callback at its public URL (Hera's edge at /.ory/kratos), as oidc/provider_config.go Redir builds it.
  provider.configure([`${stack.ciam.hera}/.ory/kratos/self-service/methods/oidc/callback/${PROVIDER_ID}`]);
});

test.afterAll(async () => {
  // No provider for the rest of the run (as Athena's Remove would).
  await clearCiamSettings("social.");
  await provider?.close();
});

test("a provider added in Athena signs a new customer up at Hera, and an existing customer's address is linked only after their password", async ({
  page,
  browser,
  stack,
}) => {
  await test.step("an admin adds the provider in Athena CIAM's settings", async () => {
    await addProviderInAthena(page, stack, provider);
  });

  await test.step("a new customer signs up with it: the verified address from the provider, signed in at Hera", async () => {
    const email = uniqueEmail("social-new");
    provider.account = { sub: `sub-${email}`, claims: { email, email_verified: true, given_name: "Sam", family_name: "Social" } };
    const context = await browser.newContext();
    const customerPage = await context.newPage();
    try {
      await openLoginWithProvider(customerPage, stack.ciam.hera);
      await customerPage.getByRole("button", { name: `Sign in with ${LABEL}` }).click();
      await customerPage.waitForURL((url) => url.origin === stack.ciam.hera && !url.pathname.startsWith("/login"));
      await customerPage.goto(`${stack.ciam.hera}/`);
      await expect(customerPage.getByTestId("signed-in-as")).toContainText(email);
    } finally {
      await context.close();
    }
  });

  await test.step("a customer with a password account: the provider's sign-in asks for that password first, then links", async () => {
    const customer = await createPerson(stack.ciam, uniqueEmail("social-link"));
    provider.account = { sub: `sub-${customer.email}`, claims: { email: customer.email, email_verified: true } };
    const context = await browser.newContext();
    const customerPage = await context.newPage();
    try {
      await openLoginWithProvider(customerPage, stack.ciam.hera);
      await customerPage.getByRole("button", { name: `Sign in with ${LABEL}` }).click();
      // Kratos' "sign in to your account to link" login flow (text.InfoSelfServiceLoginLink, 1010016).
      await customerPage.waitForURL(/\/login\?flow=/);
      await expect(customerPage.getByTestId("ory/message/1010016")).toBeVisible();
      // The schema's identifiers give every account a code and a webauthn credential too (extension_credentials.go).
      expect(credentialTypes(await identityOf(stack.ciam, customer.id))).toEqual(["code", "password", "webauthn"]);

      // The identifier is the provider's address, fixed by Kratos: Elements offers the account's methods, the password among them.
      await expect(customerPage.getByRole("heading", { name: "Link account" })).toBeVisible();
      await customerPage.getByRole("button", { name: /^Password/ }).click();
      await input(customerPage, "password").fill(customer.password);
      await input(customerPage, "password").press("Enter");
      await customerPage.waitForURL((url) => url.origin === stack.ciam.hera && !url.pathname.startsWith("/login"));
      expect(credentialTypes(await identityOf(stack.ciam, customer.id))).toEqual(["code", "oidc", "password", "webauthn"]);
    } finally {
      await context.close();
    }

    // Linked: the next sign-in with the provider needs no password.
    const again = await browser.newContext();
    const againPage = await again.newPage();
    try {
      await openLoginWithProvider(againPage, stack.ciam.hera);
      await againPage.getByRole("button", { name: `Sign in with ${LABEL}` }).click();
      await againPage.waitForURL((url) => url.origin === stack.ciam.hera && !url.pathname.startsWith("/login"));
      await againPage.goto(`${stack.ciam.hera}/`);
      await expect(againPage.getByTestId("signed-in-as")).toContainText(customer.email);
    } finally {
      await again.close();
    }
  });
});
