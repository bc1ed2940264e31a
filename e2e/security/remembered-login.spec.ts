import { passSecondFactor } from "../support/mfa";
import { createPerson } from "./support/identities";
import { authorization, createTestClient, idTokenClaims, redeem, waitForCallback } from "./support/oauth2";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { input, loginFormOrCallback, showsLoginForm, submitPassword } from "./support/ui";

// Attacks on what Hydra remembers. Hydra remembers a login (`skip`) for as long as
// Hera told it to; before the fix Hera accepted every remembered login without asking
// Kratos, so a person who had signed out, or whom an admin had deactivated, was signed
// straight back in — and `prompt=login` could be skipped by adding `reauth_after=0`.

test("signing out of Hera IAM ends the remembered login: Athena asks for the password again", async ({ page, stack }) => {
  const employee = await createPerson(stack.iam, uniqueEmail("signed-out-admin"), { role: "admin" });
  await page.goto(`${stack.iam.athena}/signin`);
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL(/iam\.localhost:4000\/login\?flow=/);
  await submitPassword(page, employee.email, employee.password);
  await passSecondFactor(page, employee.email, (url) => url.href === `${stack.iam.athena}/`);

  await page.goto(`${stack.iam.hera}/logout`);
  await page.getByTestId("logout-confirm").click();
  await page.waitForURL(/\/login\?flow=/);

  // Athena CIAM is a separate client: it must go through a real sign-in, not Hydra's memory.
  await page.goto(`${stack.ciam.athena}/signin`);
  await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  await page.waitForURL(
    (url) => (url.origin === stack.iam.hera && url.searchParams.has("flow")) || (url.origin === stack.ciam.athena && url.pathname === "/"),
  );
  expect(new URL(page.url()).origin, "signed in to Athena CIAM without a password after signing out").toBe(stack.iam.hera);
  expect(await showsLoginForm(page)).toBe(true);
});

test("a deactivated customer is not signed in from Hydra's memory", async ({ page, stack }) => {
  const customer = await createPerson(stack.ciam, uniqueEmail("deactivated"));
  const client = await createTestClient(stack.ciam, "remembered-login");
  const first = await authorization(client);
  await page.goto(first.url.href);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, customer.email, customer.password);
  await redeem(client, await waitForCallback(page, client), first);

  const deactivate = await fetch(`${stack.ciam.kratosAdmin}/admin/identities/${customer.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${stack.ciam.adminToken}` },
    body: JSON.stringify([{ op: "replace", path: "/state", value: "inactive" }]),
  });
  expect(deactivate.status).toBe(200);

  const second = await authorization(client);
  await page.goto(second.url.href);
  expect(await loginFormOrCallback(page, client.redirectUri), "a deactivated identity got a new code").toBe("login");
  expect(await showsLoginForm(page)).toBe(true);
});

test("prompt=login asks for the password again, and a hand-made reauth parameter does not skip it", async ({ page, stack }) => {
  const customer = await createPerson(stack.ciam, uniqueEmail("prompt-login"));
  const client = await createTestClient(stack.ciam, "prompt-login");
  const first = await authorization(client);
  await page.goto(first.url.href);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, customer.email, customer.password);
  await redeem(client, await waitForCallback(page, client), first);

  // The attacker's way round re-authentication: add the old `reauth_after` or a forged proof.
  const forced = await authorization(client, { prompt: "login" });
  const challengeUrl = page.waitForRequest((request) => request.url().startsWith(`${stack.ciam.hera}/login?login_challenge=`));
  await page.goto(forced.url.href);
  const challenge = new URL((await challengeUrl).url()).searchParams.get("login_challenge") ?? "";
  await page.waitForURL(/\/login\?flow=/);
  for (const forged of ["reauth_after=0", `reauth=${Date.now()}.${"A".repeat(43)}`]) {
    await page.goto(`${stack.ciam.hera}/login?login_challenge=${encodeURIComponent(challenge)}&${forged}`);
    expect(await loginFormOrCallback(page, client.redirectUri), `${forged} skipped the password`).toBe("login");
    expect(await showsLoginForm(page)).toBe(true);
  }

  // The honest way: the password, after which the client gets a fresh auth_time.
  const before = Math.floor(Date.now() / 1000) - 1;
  await input(page, "password").fill(customer.password);
  if (await input(page, "identifier").isVisible()) await input(page, "identifier").fill(customer.email);
  await page.getByRole("button", { name: "Sign in with password" }).click();
  const tokens = await redeem(client, await waitForCallback(page, client), forced);
  expect(Number(idTokenClaims(tokens).auth_time)).toBeGreaterThanOrEqual(before);
});

test("max_age older than the Kratos session's sign-in asks for the password again", async ({ page, stack }) => {
  const customer = await createPerson(stack.ciam, uniqueEmail("max-age"));
  const client = await createTestClient(stack.ciam, "max-age");
  const first = await authorization(client);
  await page.goto(first.url.href);
  await page.waitForURL(/\/login\?flow=/);
  await submitPassword(page, customer.email, customer.password);
  await redeem(client, await waitForCallback(page, client), first);

  await page.waitForTimeout(2_500);
  const aged = await authorization(client, { max_age: "1" });
  await page.goto(aged.url.href);
  expect(await loginFormOrCallback(page, client.redirectUri), "max_age=1 was satisfied by a sign-in 2.5 s old").toBe("login");
  expect(await showsLoginForm(page)).toBe(true);
});
