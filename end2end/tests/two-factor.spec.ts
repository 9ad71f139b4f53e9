import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { openAccountMenu, seriousAxeViolations, settled, signOutThroughMenu } from "./helpers";
import { NEW_PASSWORD, acceptFromEmail, invite } from "./staff-helpers";
import { setUpAuthenticator, totpCode } from "./totp";

test("a new clinic admin sets up an authenticator at first sign-in, then signs in with a code and with a recovery code", async ({ browser, page }, testInfo) => {
  const email = `admin2-${testInfo.project.name}-${Date.now()}@riverside.example`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await invite(page, email, "Nadia Osei", "clinic_admin");

  // Accepting signs her in only as far as the set-up: admins need a second factor.
  const admin = await acceptFromEmail(browser, testInfo, email);
  await expect(admin).toHaveURL(/\/login\/two-factor$/);
  await expect(admin.getByRole("heading", { level: 1, name: "Set up two-factor sign-in" })).toBeVisible();
  await expect(admin.getByRole("img", { name: "QR code that adds HMS to your authenticator app" })).toBeVisible();
  expect(await seriousAxeViolations(admin)).toEqual([]);
  expect((await admin.goto("/c/riverside/admin"))?.url()).toMatch(/\/login\?/);
  await admin.goto("/login/two-factor");
  await settled(admin);
  await admin.getByLabel("Code from the app").fill("12345");
  await admin.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(admin.getByText("Enter the 6-digit code your authenticator app shows.")).toBeVisible();
  await settled(admin);
  const { keyText, step } = await setUpAuthenticator(admin);
  expect(await seriousAxeViolations(admin)).toEqual([]);
  const recovery = (await admin.getByRole("list", { name: "Your recovery codes" }).getByRole("listitem").first().textContent())!.trim();
  await admin.getByRole("link", { name: "I have saved them — continue" }).click();
  await expect(admin).toHaveURL(/\/c\/riverside\/admin$/);
  // Shown once: the page has nothing to show again.
  await admin.goto("/account/recovery-codes");
  await expect(admin.getByText("Recovery codes are shown only once")).toBeVisible();

  // Next time: password, then a code generated here, as her phone would.
  await signOutThroughMenu(admin);
  await expect(admin).toHaveURL(/\/login/);
  await signIn(admin, email, /\/login\/two-factor$/, NEW_PASSWORD);
  await expect(admin.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
  expect(await seriousAxeViolations(admin)).toEqual([]);
  const next = totpCode(keyText, step + 1);
  await admin.getByLabel("Authentication code").fill(next === "000000" ? "111111" : "000000");
  await admin.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(admin.getByText("That code is not right, or it was already used.")).toBeVisible();
  await settled(admin);
  await admin.getByLabel("Authentication code").fill(next);
  await admin.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(admin).toHaveURL(/\/c\/riverside\/admin$/);

  // A lost phone: a recovery code works instead, once.
  await signOutThroughMenu(admin);
  await signIn(admin, email, /\/login\/two-factor$/, NEW_PASSWORD);
  await admin.getByLabel("Authentication code").fill(recovery);
  await admin.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(admin).toHaveURL(/\/c\/riverside\/admin$/);
  await openAccountMenu(admin);
  await admin.getByRole("link", { name: "Your account" }).click();
  await expect(admin.getByText("9 of 10 recovery codes left.")).toBeVisible();
  await expect(admin.getByText("Your role or clinic requires it.")).toBeVisible();
  await expect(admin.getByRole("button", { name: "Turn off two-factor sign-in" })).toHaveCount(0);
  await admin.context().close();
});

test("a nurse turns two-factor sign-in on from her account, and her admin resets it when she loses her phone", async ({ browser, page }, testInfo) => {
  const email = `nurse2fa-${testInfo.project.name}-${Date.now()}@riverside.example`;
  const name = testInfo.project.name === "no-js" ? "Iris Bell" : "Rosa Lind";
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await invite(page, email, name, "nurse");
  const nurse = await acceptFromEmail(browser, testInfo, email);
  await expect(nurse).toHaveURL(/\/c\/riverside\/nurse$/);

  await openAccountMenu(nurse);
  await nurse.getByRole("link", { name: "Your account" }).click();
  await settled(nurse);
  await expect(nurse.getByText("Someone who learns your password still cannot sign in without your phone.")).toBeVisible();
  await nurse.getByRole("link", { name: "Set up two-factor sign-in" }).click();
  await expect(nurse.getByRole("heading", { level: 1, name: "Set up two-factor sign-in" })).toBeVisible();
  await settled(nurse);
  await setUpAuthenticator(nurse);
  await nurse.getByRole("link", { name: "I have saved them — continue" }).click();
  await expect(nurse).toHaveURL(/\/account$/);
  await expect(nurse.getByText("10 of 10 recovery codes left.")).toBeVisible();

  // Phone and codes lost: her admin resets it from her staff page.
  await page.goto("/c/riverside/admin");
  await settled(page);
  await page.getByRole("row").filter({ hasText: email }).getByRole("link", { name: `Manage ${name} (Nurse)` }).click();
  await settled(page);
  await page.getByRole("button", { name: "Reset two-factor sign-in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Their two-factor sign-in is reset and their sessions ended." })).toBeVisible();
  await settled(page);
  await page.getByRole("button", { name: "Reset two-factor sign-in" }).click();
  await expect(page.getByText("They have no two-factor sign-in set up, so there is nothing to reset.")).toBeVisible();

  // She was signed out; her password alone lets her in again.
  await nurse.goto("/c/riverside/nurse");
  await expect(nurse).toHaveURL(/\/login/);
  await signIn(nurse, email, /\/c\/riverside\/nurse$/, NEW_PASSWORD);
  await nurse.context().close();
});

