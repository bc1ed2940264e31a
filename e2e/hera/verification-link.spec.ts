import type { Browser, Page } from "@playwright/test";
import { createOlympusPool } from "@olympus/athena-store/olympus-db";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { waitForMail, type Mail } from "./support/mail";
import type { DomainEndpoints, HeraStack } from "./support/stack";
import { input } from "./support/ui";

// The link in Kratos' verification mail (code method: `…/self-service/verification?code=…&flow=…`).
// Kratos' code.Strategy.handleLinkClick pre-fills the code and sends the browser to Hera, which
// submits it: one click verifies, in the browser that signed up or any other.

async function signUp(page: Page, stack: HeraStack, prefix: string): Promise<{ email: string; link: string; flowId: string }> {
  const email = uniqueEmail(prefix);
  await page.goto(`${stack.ciam.hera}/registration`);
  const since = new Date();
  await input(page, "traits.email").fill(email);
  await input(page, "traits.name.first").fill("Link");
  await input(page, "traits.name.last").fill("Clicker");
  await input(page, "password").fill("verify-by-link-42");
  await page.getByRole("button", { name: "Sign up", exact: true }).click();
  await page.waitForURL(/\/verification\?flow=/);
  const flowId = new URL(page.url()).searchParams.get("flow") ?? "";
  const link = linkIn(await waitForMail(stack.inboxApi, email, /confirm your email/i, since));
  return { email, link, flowId };
}

function linkIn(mail: Mail): string {
  const link = /https?:\/\/\S+\/self-service\/verification\?\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no verification link in:\n${mail.text}`);
  return link;
}

async function isVerified(domain: DomainEndpoints, email: string): Promise<boolean> {
  const url = `${domain.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${domain.adminToken}` } });
  const [identity] = (await response.json()) as { verifiable_addresses: { value: string; verified: boolean }[] }[];
  return identity?.verifiable_addresses.find((a) => a.value === email)?.verified === true;
}

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test("the mail's link opened in another browser verifies in one step and says so", async ({ page, browser, stack }) => {
  const { email, link } = await signUp(page, stack, "link-other-device");
  expect(await isVerified(stack.ciam, email)).toBe(false);
  const phone = await freshPage(browser);
  await phone.goto(link);
  await expect(phone.getByText(/successfully verified your email address/i).first()).toBeVisible();
  expect(await isVerified(stack.ciam, email)).toBe(true);
  await phone.context().close();
});

test("the mail's link opened in the browser that signed up verifies without another click", async ({ page, stack }) => {
  const { email, link } = await signUp(page, stack, "link-same-browser");
  const tab = await page.context().newPage();
  await tab.goto(link);
  await expect(tab.getByText(/successfully verified your email address/i).first()).toBeVisible();
  expect(await isVerified(stack.ciam, email)).toBe(true);
});

test("an expired link says so and sends a new mail to the address", async ({ page, browser, stack }) => {
  const { email, link, flowId } = await signUp(page, stack, "link-expired");
  // The code outlived its lifespan (15 minutes in the dev config): age it in Kratos' database.
  const pool = createOlympusPool(stack.ciam.kratosDatabase, 1);
  try {
    const { rowCount } = await pool.query(
      "UPDATE selfservice_verification_tokens SET expires_at = now() - interval '1 minute' WHERE flow_id = $1",
      [flowId],
    );
    expect(rowCount).toBe(1);
  } finally {
    await pool.end();
  }
  const phone = await freshPage(browser);
  await phone.goto(link);
  const expired = phone.getByTestId("verification-link-expired");
  await expect(expired.getByRole("heading", { name: /has expired/i })).toBeVisible();
  await expect(expired.getByLabel("Email")).toHaveValue(email);
  expect(await isVerified(stack.ciam, email)).toBe(false);

  const since = new Date();
  await expired.getByRole("button", { name: /send a new verification email/i }).click();
  await phone.waitForURL(/\/verification\?flow=/);
  // The first mail may be newer than `since` allows for; wait for the one carrying a new link.
  let fresh = link;
  for (const deadline = Date.now() + 30_000; fresh === link && Date.now() < deadline;) {
    fresh = linkIn(await waitForMail(stack.inboxApi, email, /confirm your email/i, since));
    if (fresh === link) await phone.waitForTimeout(250);
  }
  expect(fresh).not.toBe(link);
  await phone.goto(fresh);
  await expect(phone.getByText(/successfully verified your email address/i).first()).toBeVisible();
  expect(await isVerified(stack.ciam, email)).toBe(true);
  await phone.context().close();
});
