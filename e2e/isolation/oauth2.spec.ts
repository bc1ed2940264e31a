import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import {
  authorizationOutcome,
  authorizationUrl,
  CIAM_DEMO_CLIENT,
  listClientIds,
  overlappingClientIds,
  registerClient,
} from "./support/oauth2";
import type { DomainSide } from "./support/stack";

/** Opens an authorization request and returns every top-level URL the browser went through. */
async function navigationsOf(page: Page, url: URL): Promise<string[]> {
  const navigations: string[] = [];
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations.push(request.url());
  });
  // A redirect to the client's callback would fail to connect (no relying party runs here); it is
  // still recorded above, and the outcome check reports it.
  await page.goto(url.href).catch(() => undefined);
  await page.waitForLoadState("networkidle");
  return navigations;
}

const IAM_ATHENA_CLIENT = (iam: DomainSide) => ({ id: "iam-athena-iam", redirectUri: `${iam.athena}/api/auth/callback/olympus-iam` });

test.describe("OAuth2 clients belong to one domain's Hydra", () => {
  test("the client ids of CIAM Hydra and IAM Hydra are disjoint", async ({ stack }) => {
    const [ciam, iam] = await Promise.all([listClientIds(stack.ciam), listClientIds(stack.iam)]);
    // The seeded clients are there, so the lists are the real ones.
    expect(ciam).toContain(CIAM_DEMO_CLIENT.id);
    expect(iam).toEqual(expect.arrayContaining(["iam-athena-ciam", "iam-athena-iam"]));
    expect(overlappingClientIds(ciam, iam)).toEqual([]);
  });

  test("IAM Hydra refuses the CIAM client: an OAuth2 error, never IAM Hera's login", async ({ page, stack }) => {
    const navigations = await navigationsOf(page, authorizationUrl(stack.iam.hydraBrowser, CIAM_DEMO_CLIENT));
    expect(authorizationOutcome(navigations, `${stack.iam.hera}/login`, CIAM_DEMO_CLIENT.redirectUri)).toEqual({
      reachedLogin: false,
      reachedClient: false,
      error: "invalid_client",
    });
    await expect(page.getByTestId("error-page")).toBeVisible();
  });

  test("CIAM Hydra refuses an IAM client (Athena's) the same way", async ({ page, stack }) => {
    const client = IAM_ATHENA_CLIENT(stack.iam);
    const navigations = await navigationsOf(page, authorizationUrl(stack.ciam.hydraBrowser, client));
    expect(authorizationOutcome(navigations, `${stack.ciam.hera}/login`, client.redirectUri)).toEqual({
      reachedLogin: false,
      reachedClient: false,
      error: "invalid_client",
    });
  });
});

test.describe("companion: a client id registered on both sides is caught", () => {
  test("registering ciam-demo-rp in IAM Hydra breaks disjointness, and IAM Hera's login is reached", async ({ page, stack }) => {
    const remove = await registerClient(stack.iam, CIAM_DEMO_CLIENT.id, CIAM_DEMO_CLIENT.redirectUri);
    try {
      const [ciam, iam] = await Promise.all([listClientIds(stack.ciam), listClientIds(stack.iam)]);
      expect(overlappingClientIds(ciam, iam)).toEqual([CIAM_DEMO_CLIENT.id]);
      const navigations = await navigationsOf(page, authorizationUrl(stack.iam.hydraBrowser, CIAM_DEMO_CLIENT));
      expect(authorizationOutcome(navigations, `${stack.iam.hera}/login`, CIAM_DEMO_CLIENT.redirectUri).reachedLogin).toBe(true);
    } finally {
      await remove();
    }
    const [ciam, iam] = await Promise.all([listClientIds(stack.ciam), listClientIds(stack.iam)]);
    expect(overlappingClientIds(ciam, iam)).toEqual([]);
  });
});
