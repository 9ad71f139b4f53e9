import { expect, test } from "@playwright/test";
import { oidcIssuer } from "../playwright.config";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";

// The hydrated and no-JS runs go in parallel: each connects its own clinic.
const clinicFor = (project: string) =>
  project === "no-js"
    ? { slug: "hilltop", name: "Hilltop Clinic" }
    : { slug: "riverside", name: "Riverside General Hospital" };

test.describe.configure({ mode: "serial" });

test("a clinic admin connects the identity provider; a new nurse signs in on its page", async ({ browser, page }, testInfo) => {
  const clinic = clinicFor(testInfo.project.name);
  await signIn(page, `admin@${clinic.slug}.example`, new RegExp(`/c/${clinic.slug}/admin$`));
  await page.goto(`/c/${clinic.slug}/sso`);
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "Single sign-on" })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  // The redirect address to register at the provider.
  await expect(page.locator("code").filter({ hasText: "/sso/callback" })).toBeVisible();

  const fill = async (issuer: string) => {
    await page.getByLabel("Button name").fill("Northfield Identity");
    await page.getByLabel("Issuer URL").fill(issuer);
    await page.getByLabel("Client id").fill("hms");
    await page.getByLabel("Client secret").fill("hms-test-client-secret");
    await page.getByLabel("Allowed email domains").fill("northfield.example");
    await page.getByLabel("Someone new signs in").selectOption("provision");
    await page.getByLabel("Role for new people").selectOption("nurse");
    await page.getByRole("button", { name: "Save settings" }).click();
  };
  // A typo in the issuer is caught by reading its discovery document.
  await fill("http://127.0.0.1:9");
  await expect(page.getByText("HMS could not reach this issuer's discovery document")).toBeVisible();
  await expect(page.getByLabel("Issuer URL")).toHaveAttribute("aria-invalid", "true");

  await fill(oidcIssuer);
  await expect(page.getByRole("status").filter({ hasText: "Single sign-on settings saved." })).toBeVisible();
  // The secret is never shown again.
  await expect(page.getByLabel("Client secret")).toHaveValue("");

  // Someone new, in a browser of their own, from the sign-in page: their
  // work address finds the clinic's provider.
  const email = `nurse.${testInfo.project.name}.${Date.now()}@northfield.example`;
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const nurse = await context.newPage();
  await nurse.goto("/login");
  await settled(nurse);
  await nurse.getByText("Sign in with your organisation's account (single sign-on)").click();
  await nurse.getByLabel("Your work account").fill(email);
  await nurse.getByRole("button", { name: "Continue" }).click();
  await expect(nurse).toHaveURL(/\/login\?sso_domain=northfield\.example$/);
  await settled(nurse);
  expect(await seriousAxeViolations(nurse)).toEqual([]);
  await nurse.getByRole("link", { name: `Sign in with Northfield Identity for ${clinic.name}` }).click();
  // The provider's own sign-in page.
  await expect(nurse.getByRole("heading", { name: "Northfield Identity" })).toBeVisible();
  await nurse.getByLabel("Email").fill(email);
  await nurse.getByLabel("Password").fill("provider-password");
  await nurse.getByRole("button", { name: "Continue" }).click();
  await expect(nurse).toHaveURL(new RegExp(`/c/${clinic.slug}/nurse$`));
  await expect(nurse.getByRole("heading", { level: 1 })).toBeVisible();
  await context.close();
});

test("someone from another domain is refused with a clear message", async ({ page }, testInfo) => {
  const clinic = clinicFor(testInfo.project.name);
  await page.goto("/login");
  await settled(page);
  // From a work address to the organisation's sign-in.
  await page.getByText("Sign in with your organisation's account (single sign-on)").click();
  await page.getByLabel("Your work account").fill("sam@elsewhere.example");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("No clinic signs in people from that domain")).toBeVisible();

  await page.goto(`/login?clinic=${clinic.slug}`);
  await page.getByRole("link", { name: /Sign in with Northfield Identity/ }).click();
  await page.getByLabel("Email").fill("sam@elsewhere.example");
  await page.getByLabel("Password").fill("provider-password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?sso=domain_not_allowed&clinic=${clinic.slug}$`));
  await expect(page.getByRole("alert")).toContainText("Accounts from that email domain cannot sign in to this clinic");
});

test("with approval required, a newcomer waits until the clinic admin approves them as a receptionist", async ({ browser, page }, testInfo) => {
  const clinic = clinicFor(testInfo.project.name);
  await signIn(page, `admin@${clinic.slug}.example`, new RegExp(`/c/${clinic.slug}/admin$`));
  await page.goto(`/c/${clinic.slug}/sso`);
  await settled(page);
  await page.getByLabel("Someone new signs in").selectOption("approval");
  await page.getByLabel("Role for new people").selectOption("");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Single sign-on settings saved." })).toBeVisible();

  const email = `desk.${testInfo.project.name}.${Date.now()}@northfield.example`;
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const newcomer = await context.newPage();
  const viaProvider = async () => {
    await newcomer.goto(`/login?clinic=${clinic.slug}`);
    await newcomer.getByRole("link", { name: /Sign in with Northfield Identity/ }).click();
    await newcomer.getByLabel("Email").fill(email);
    await newcomer.getByLabel("Password").fill("provider-password");
    await newcomer.getByRole("button", { name: "Continue" }).click();
  };
  await viaProvider();
  await expect(newcomer).toHaveURL(/\/sso\/requested$/);
  await expect(newcomer.getByRole("heading", { level: 1, name: "Your request has been sent" })).toBeVisible();

  await page.goto(`/c/${clinic.slug}/sso`);
  await settled(page);
  const request = page.getByRole("listitem").filter({ hasText: email });
  await request.getByLabel(/^Role for/).selectOption("receptionist");
  await request.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: email })).toHaveCount(0);

  // The provider still knows them: straight back, now let in.
  await newcomer.goto(`/login?clinic=${clinic.slug}`);
  await newcomer.getByRole("link", { name: /Sign in with Northfield Identity/ }).click();
  await expect(newcomer).toHaveURL(new RegExp(`/c/${clinic.slug}/reception$`));
  await context.close();
});
