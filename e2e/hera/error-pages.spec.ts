import type { Page } from "@playwright/test";
import { expect, expectAccessible, test, uniqueEmail } from "./support/fixtures";
import { expireFlow } from "./support/flows";
import { createCustomer } from "./support/identities";
import { input, submitPassword } from "./support/ui";

// What a person sees when something goes wrong: messages next to the field
// they concern, Kratos' error page, flows that outlived their lifespan, and
// Hera's static pages (each also scanned for accessibility).

/** The block Ory Elements renders for one field: its label, the input and the field's messages. */
const fieldBlock = (page: Page, name: string) =>
  page
    .locator("div")
    .filter({ has: page.getByTestId(`ory/form/node/input/label/${name}`) })
    .filter({ has: page.getByTestId(`ory/form/node/input/${name}`) })
    .last();

/** No server internals on a page a customer sees. */
async function expectNoStackTrace(page: Page): Promise<void> {
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/\n\s+at \S+ \(|node_modules|ECONNREFUSED|TypeError|\.ts:\d+/);
}

test("Kratos' validation messages appear next to the field they concern", async ({ page, stack }) => {
  const base = stack.ciam.hera;

  await test.step("a too-short password at registration", async () => {
    await page.goto(`${base}/registration`);
    await input(page, "traits.email").fill(uniqueEmail("short-password"));
    await input(page, "traits.name.first").fill("Ada");
    await input(page, "traits.name.last").fill("Lovelace");
    await input(page, "password").fill("short");
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    const message = fieldBlock(page, "password").getByTestId("ory/message/4000032");
    await expect(message).toHaveText(/at least 8 characters long, but got 5/);
    await expectAccessible(page, "registration with a field error");
  });

  await test.step("a wrong password at sign-in", async () => {
    const email = uniqueEmail("wrong-password");
    await createCustomer(stack.ciam, email, "the-right-password-1");
    await page.goto(`${base}/login`);
    await submitPassword(page, email, "a-wrong-password-2");
    // Kratos reports it for the whole form (naming the field would tell which part was wrong), shown in the sign-in card.
    const card = page.getByTestId("ory/card").filter({ has: input(page, "password") });
    await expect(card.getByTestId("ory/message/4000006")).toHaveText(/credentials are invalid/i);
    await expect(input(page, "identifier")).toHaveValue(email);
    await expectAccessible(page, "login with a form error");
  });
});

test("a Kratos self-service error lands on Hera's error page, explained without internals", async ({ page, stack }) => {
  // Kratos refuses a return_to outside its allow-list and sends the browser to the error UI with the stored error's id.
  await page.goto(`${stack.ciam.kratosBrowser}/self-service/login/browser?return_to=${encodeURIComponent("https://evil.example/")}`);
  await expect(page).toHaveURL(new RegExp(`^${stack.ciam.hera}/error\\?id=[0-9a-f-]{36}$`));
  await expect(page.getByTestId("error-page")).toBeVisible();
  await expect(page.getByTestId("error-page")).toContainText(/return_to|not allowed|redirect/i);
  await expectNoStackTrace(page);
  await expectAccessible(page, "error");
});

test("an expired sign-in flow restarts by itself and keeps return_to", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  const email = uniqueEmail("expired-flow");
  const password = "patient-customer-pass-3";
  await createCustomer(stack.ciam, email, password);
  const returnTo = "http://ciam.localhost:3002/after-sign-in";

  await page.goto(`${base}/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`);
  await page.waitForURL(/\/login\?flow=/);
  const expired = new URL(page.url()).searchParams.get("flow") ?? "";
  await expireFlow(stack.ciam, expired);

  // Coming back to the page (a reload, a tab left open) gets a fresh flow, not an error.
  await page.reload();
  await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.has("flow") && url.searchParams.get("flow") !== expired);
  await expect(input(page, "identifier")).toBeVisible();
  await expectNoStackTrace(page);

  // Submitting a form whose flow expired meanwhile: Kratos answers with a
  // replacement flow, which the page takes over (saying why) instead of failing.
  const second = new URL(page.url()).searchParams.get("flow") ?? "";
  await expireFlow(stack.ciam, second);
  await submitPassword(page, email, password);
  await expect(page.getByTestId("ory/message/4010001")).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(second));

  // The fresh flow still returns where the first one would have.
  await submitPassword(page, email, password);
  await page.waitForURL(returnTo);
});

test("Hera's own pages pass the accessibility scan: signed out, unavailable", async ({ page, stack }) => {
  const base = stack.ciam.hera;
  await page.goto(`${base}/logged-out`);
  await expect(page.getByTestId("logged-out")).toContainText(/signed out/i);
  await expectAccessible(page, "logged-out");

  await page.goto(`${base}/unavailable?retry=${encodeURIComponent("/login")}`);
  await expect(page.getByTestId("service-unavailable")).toContainText(/temporarily unavailable/i);
  await expect(page.getByTestId("retry")).toHaveAttribute("href", "/login");
  await expectAccessible(page, "unavailable");
});
