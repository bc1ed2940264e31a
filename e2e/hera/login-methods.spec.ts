import { expect, test, uniqueEmail } from "./support/fixtures";
import { createCustomer } from "./support/identities";
import { codeIn, waitForMail } from "./support/mail";
import { latestSignIn } from "./support/sessions";
import { input, signOut, submitPassword } from "./support/ui";
import { addVirtualPasskeyDevice } from "./support/webauthn";

// The sign-in methods besides password and TOTP that CIAM offers
// (platform/dev/ciam-kratos/kratos.yml), each through Hera in a real browser.

const SESSION_COOKIE = "ciam_kratos_session";
const saved = /your changes have been saved/i;

test("a customer signs in without a password, with the one-time code mailed to them", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("code-login");
  const id = await createCustomer(stack.ciam, email, "never-typed-password-5");

  await page.goto(`${base}/login`);
  await input(page, "identifier").fill(email);
  const since = new Date();
  await page.getByRole("button", { name: "Send sign in code" }).click();
  const mail = await waitForMail(stack.inboxApi, email, /sign in|log ?in|code/i, since);
  await input(page, "code").fill(codeIn(mail.text));
  await page
    .getByRole("button", { name: /^(continue|submit|sign in)$/i })
    .first()
    .click();

  await page.waitForURL(`${base}/`);
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  expect(await latestSignIn(stack.ciam, id)).toEqual({ aal: "aal1", methods: ["code"] });
});

test("a customer adds a passkey in settings and signs in with it alone", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("passkey");
  const password = "passkey-owner-pass-8";
  const id = await createCustomer(stack.ciam, email, password);
  await addVirtualPasskeyDevice(page);

  await page.goto(`${base}/login`);
  await submitPassword(page, email, password);
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/settings`);
  const keys = page.getByTestId("ory/screen/settings/group/webauthn");
  await keys.getByTestId("ory/form/node/input/webauthn_register_displayname").fill("Test laptop");
  await keys.getByTestId("ory/form/node/button/webauthn_register_trigger").click();
  await expect(page.getByText(saved).first()).toBeVisible();
  const stored = await fetch(`${stack.ciam.kratosAdmin}/admin/identities/${id}?include_credential=webauthn`, {
    headers: { Authorization: `Bearer ${stack.ciam.adminToken}` },
  }).then((r) => r.json() as Promise<{ credentials?: { webauthn?: { config?: { credentials?: { display_name?: string }[] } } } }>);
  // Every identity has a webauthn credential (its schema names the address as a webauthn identifier): the key is in its config.
  expect(stored.credentials?.webauthn?.config?.credentials?.map((key) => key.display_name)).toEqual(["Test laptop"]);

  await signOut(page, base, SESSION_COOKIE);
  await input(page, "identifier").fill(email);
  await page
    .getByRole("button", { name: /hardware key|security key|passkey/i })
    .first()
    .click();
  // Step two offers this identity's passkeys; the virtual device answers the challenge.
  await page.getByTestId("ory/form/node/button/webauthn_login_trigger").click();
  await page.waitForURL(`${base}/`);
  await expect(page.getByTestId("signed-in-as")).toContainText(email);
  expect(await latestSignIn(stack.ciam, id)).toEqual({ aal: "aal1", methods: ["webauthn"] });
});

test("a customer generates backup codes in settings and uses one as the second factor", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("lookup");
  const password = "backup-codes-pass-13";
  const id = await createCustomer(stack.ciam, email, password);

  await page.goto(`${base}/login`);
  await submitPassword(page, email, password);
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/settings`);
  const backup = page.getByTestId("ory/screen/settings/group/lookup_secret");
  await backup.getByTestId("ory/form/node/button/lookup_secret_regenerate").click();
  const shown = page.getByTestId("ory/screen/settings/group/recovery_code/codes");
  await expect(shown).toBeVisible();
  const codes = (await shown.innerText()).match(/\b[a-z0-9]{8}\b/g) ?? [];
  expect(codes).toHaveLength(12);
  await page.getByTestId("ory/form/node/button/lookup_secret_confirm").click();
  await expect(page.getByText(saved).first()).toBeVisible();

  // Backup codes now count as a second factor: a password alone is not enough.
  await signOut(page, base, SESSION_COOKIE);
  await submitPassword(page, email, password);
  await expect(input(page, "lookup_secret")).toBeVisible();
  await input(page, "lookup_secret").fill(codes[0] ?? "");
  await page
    .getByRole("button", { name: /^(continue|submit|verify|sign in)$/i })
    .first()
    .click();
  await page.waitForURL(`${base}/`);
  expect(await latestSignIn(stack.ciam, id)).toEqual({ aal: "aal2", methods: ["password", "lookup_secret"] });
});
