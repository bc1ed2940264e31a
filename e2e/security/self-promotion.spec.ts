import { passSecondFactor } from "../support/mfa";
import { signInToAthena } from "./support/athena";
import { createPerson, identityOf } from "./support/identities";
import { authorization, createTestClient, idTokenClaims, redeem, waitForCallback } from "./support/oauth2";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { signInAtHera } from "./support/ui";

// Attack: self-promotion. The Athena role used to be an identity trait, and Kratos'
// settings `profile` method lets every person edit their own traits: an employee typed
// "admin" into Hera's settings and was let into both Athenas. The role now lives in
// metadata_admin, which no self-service method can touch; only an Athena IAM admin sets it.

interface Submission {
  method: string;
  extra: Record<string, unknown>;
}

const PROMOTION = {
  traits: { iam_admin_role: "admin" },
  metadata_admin: { iam_admin_role: "admin" },
  metadata_public: { iam_admin_role: "admin" },
};

/** Every settings method Kratos offers an employee, each carrying a self-promotion. */
const SUBMISSIONS: Submission[] = [
  { method: "profile", extra: {} },
  { method: "password", extra: { password: "a-new-and-long-password-77" } },
  { method: "totp", extra: { totp_code: "000000" } },
  { method: "lookup_secret", extra: { lookup_secret_regenerate: true } },
  { method: "webauthn", extra: { webauthn_register_displayname: "key" } },
  { method: "passkey", extra: { passkey_settings_register: "{}" } },
];

test("an employee cannot give themselves an Athena role through any settings method", async ({ page, stack }) => {
  const employee = await createPerson(stack.iam, uniqueEmail("self-promoter"));
  await signInAtHera(page, stack.iam.hera, employee.email, employee.password);

  await test.step("Hera's settings show no role field", async () => {
    await page.goto(`${stack.iam.hera}/settings`);
    await expect(page.getByTestId("ory/screen/settings/group/profile")).toBeVisible();
    await expect(page.getByTestId("ory/form/node/input/traits.iam_admin_role")).toHaveCount(0);
    await expect(page.getByText("Olympus admin role")).toHaveCount(0);
  });

  await test.step("each settings method, submitted with a role in traits and metadata, grants nothing", async () => {
    // Same-origin with IAM Kratos' public API, as the browser's own scripts would be.
    const kratos = `http://iam.localhost:${new URL(stack.iam.kratosPublic).port}`;
    await page.goto(`${kratos}/health/alive`);
    const answers = await page.evaluate(
      async ({ submissions, promotion, email }) => {
        const statuses: Record<string, number> = {};
        for (const { method, extra } of submissions) {
          const flow = await (
            await fetch("/self-service/settings/browser", { headers: { Accept: "application/json" }, credentials: "include" })
          ).json();
          const csrf = flow.ui.nodes.find((node: { attributes: { name?: string } }) => node.attributes.name === "csrf_token")?.attributes
            .value;
          const body = {
            method,
            csrf_token: csrf,
            ...promotion,
            traits: { email, name: { first: "Self", last: "Promoter" }, ...promotion.traits },
            ...extra,
          };
          const response = await fetch(`/self-service/settings?flow=${flow.id}`, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            credentials: "include",
            body: JSON.stringify(body),
          });
          statuses[method] = response.status;
        }
        return statuses;
      },
      { submissions: SUBMISSIONS, promotion: PROMOTION, email: employee.email },
    );
    // Kratos refuses the unknown trait (400) or ignores what a method does not own; none may succeed with the role.
    expect(answers.profile).toBe(400);
    const identity = await identityOf(stack.iam, employee.id);
    expect(identity.traits).not.toHaveProperty("iam_admin_role");
    expect(JSON.stringify(identity.metadata_admin ?? null)).not.toContain("admin");
    expect(JSON.stringify(identity.metadata_public ?? null)).not.toContain("iam_admin_role");
  });

  await test.step("the ID token carries no role", async () => {
    const client = await createTestClient(stack.iam, "self-promotion");
    const auth = await authorization(client);
    await page.goto(auth.url.href);
    // Signed in to Hera IAM already, with a password only: IAM's second-factor policy has the employee
    // enrol an authenticator first, then Hydra comes back with a code.
    await passSecondFactor(page, employee.email, (url) => url.href.startsWith(client.redirectUri));
    const url = await waitForCallback(page, client);
    const claims = idTokenClaims(await redeem(client, url, auth));
    expect(claims.sub).toBe(employee.id);
    expect(claims).not.toHaveProperty("iam_admin_role");
  });

  await test.step("neither Athena lets the employee in", async () => {
    for (const athena of [stack.iam.athena, stack.ciam.athena]) {
      await page.goto(`${athena}/signin`);
      await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
      await page.waitForURL((url) => url.origin === athena && url.pathname === "/signin" && url.searchParams.has("error"));
      expect(new URL(page.url()).searchParams.get("error")).toBe("AccessDenied");
    }
  });
});

test("the seeded admin's role comes from metadata_admin and still opens Athena", async ({ page, stack }) => {
  await signInToAthena(page, stack.iam.athena, stack.iam.hera, stack.admin.email, stack.admin.password);
  await expect(page.getByTestId("dashboard-title")).toHaveText("IAM dashboard");
});
