import { passSecondFactor } from "../support/mfa";
import { expect, expectAccessible, test } from "./support/fixtures";
import { authorization, createClient, redeem, relyingParty } from "./support/oauth2";
import { submitPassword } from "./support/ui";

test.describe("Hera IAM (employees)", () => {
  test("looks unmistakably different from the customer sign-in", async ({ page, stack }) => {
    await page.goto(`${stack.iam.hera}/login`);
    await expect(page).toHaveURL(/\/login\?flow=/);
    await expect(page.getByTestId("domain-badge")).toHaveText(/employees only/i);
    await expect(page.getByTestId("product-name")).toHaveText("Olympus Workforce");
    await expect(page).toHaveTitle(/Olympus Workforce \(IAM\)/);
    const brand = await page.locator("html").evaluate((el) => getComputedStyle(el).getPropertyValue("--brand-primary").trim());
    expect(brand).toBe("#7c3aed");
    // No sign-up link: employees are invited.
    await expect(page.getByRole("link", { name: /sign up/i })).toHaveCount(0);
    await expectAccessible(page, "IAM login");
  });

  test("the seeded administrator signs in, and an OAuth2 client receives iam_admin_role", async ({ page, stack }) => {
    const client = await createClient(stack.iam, { name: "Athena (test)", firstParty: true });
    const rp = await relyingParty(stack.iam, client);
    const auth = await authorization(rp, client, "openid email profile");
    await page.goto(auth.url.href);
    await expect(page).toHaveURL(/iam\.localhost:4000\/login\?flow=/);
    await submitPassword(page, stack.admin.email, stack.admin.password);
    // IAM requires a second factor: an authenticator is enrolled on the first sign-in, its code asked for afterwards.
    await passSecondFactor(page, stack.admin.email, (url) => url.href.startsWith(client.redirectUri));
    const { claims } = await redeem(rp, page.url(), auth);
    expect(claims).toMatchObject({ email: stack.admin.email, iam_admin_role: "admin", acr: "aal2" });

    // The Kratos session is IAM's own, host-only on iam.localhost.
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "iam_kratos_session");
    expect(session?.domain).toBe("iam.localhost");
    expect(cookies.some((c) => c.name === "ciam_kratos_session")).toBe(false);
  });

  test("an employee signs in for a third-party app and consents: IAM's login and consent pages pass the scan", async ({ page, stack }) => {
    const client = await createClient(stack.iam, { name: "Expense tracker", firstParty: false });
    const rp = await relyingParty(stack.iam, client);
    const auth = await authorization(rp, client, "openid email");
    await page.goto(auth.url.href);
    await expect(page).toHaveURL(/iam\.localhost:4000\/login\?flow=/);
    await expectAccessible(page, "IAM login for an OAuth2 client");
    await submitPassword(page, stack.admin.email, stack.admin.password);
    await passSecondFactor(page, stack.admin.email, (url) => url.pathname === "/consent");

    await expect(page).toHaveURL(/iam\.localhost:4000\/consent\?consent_challenge=/);
    await expect(page.getByTestId("consent-client")).toHaveText("Expense tracker");
    await expect(page.getByTestId("domain-badge")).toHaveText(/employees only/i);
    await expectAccessible(page, "IAM consent");
    await page.getByTestId("consent-allow").click();
    await page.waitForURL((url) => url.href.startsWith(client.redirectUri));
    const { claims } = await redeem(rp, page.url(), auth);
    expect(claims).toMatchObject({ email: stack.admin.email });
  });

  test("registration is refused: the page explains that employees are invited", async ({ page, stack }) => {
    await page.goto(`${stack.iam.hera}/registration`);
    await expect(page.getByTestId("registration-invite-only")).toContainText(/invitation/i);
    await expect(page.locator("input[name='password']")).toHaveCount(0);
    await expectAccessible(page, "IAM registration");

    // Kratos IAM itself refuses to start a registration flow, whatever the UI says.
    await page.goto(`${stack.iam.hera}/self-service/registration/browser`);
    await expect(page).toHaveURL(/\/error\?disabled=registration$/);
    await expect(page.getByTestId("flow-disabled")).toContainText(/creating an account is not available/i);
  });
});
