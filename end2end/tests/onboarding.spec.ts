import { Page, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";
import { emailTo, linkIn } from "./mail";
import { NEW_PASSWORD } from "./staff-helpers";
import { setUpAuthenticator } from "./totp";

test("a hospital registers, confirms its administrator's address, is approved, and its administrator signs in for the first time", async ({ browser, page }, testInfo) => {
  const project = testInfo.project.name;
  const stamp = Date.now();
  const hospital = `Harbour View Hospital ${project} ${stamp}`;
  const adminEmail = `director-${project}-${stamp}@harbourview.example`;
  const slug = `harbour-${project}-${stamp % 1_000_000}`;
  const baseURL = testInfo.project.use.baseURL;

  // A visitor, not signed in, from the home page.
  const visitor = await (await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled, storageState: undefined })).newPage();
  await visitor.goto("/");
  await visitor.getByRole("link", { name: "Register your hospital" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Register your hospital" })).toBeVisible();
  expect(await seriousAxeViolations(visitor)).toEqual([]);
  await settled(visitor);
  await fillHospital(visitor, hospital, "call us");
  await expect(visitor.getByText("Use digits, spaces and + - ( ) only.")).toBeVisible();
  // What was typed is still there, with or without JavaScript.
  await expect(visitor.getByLabel("Hospital name")).toHaveValue(hospital);
  await settled(visitor);
  await visitor.getByLabel("Phone").fill("+44 20 7946 0123");
  await visitor.getByRole("button", { name: "Next: administrator" }).click();

  await expect(visitor.getByRole("listitem").filter({ hasText: "2. Administrator" })).toHaveAttribute("aria-current", "step");
  await settled(visitor);
  await visitor.getByLabel("Administrator's name").fill("Noor Haddad");
  await visitor.getByLabel("Administrator's email").fill(adminEmail);
  await visitor.getByRole("button", { name: "Next: plan" }).click();

  await expect(visitor.getByRole("group", { name: "Plan" })).toBeVisible();
  await expect(visitor.getByText(hospital)).toBeVisible();
  await settled(visitor);
  await visitor.getByRole("radio", { name: /Basic/ }).check();
  await visitor.getByRole("button", { name: "Send the registration" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Check your inbox" })).toBeVisible();

  // The administrator confirms the address from the email.
  await confirmFromEmail(visitor, adminEmail, baseURL!);

  // A platform admin approves it at a web address of their choosing.
  await signIn(page, "platform@hms.example", /\/platform$/);
  await page.goto("/platform/registrations");
  await expect(page.getByRole("heading", { level: 1, name: "Hospital registrations" })).toBeVisible();
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: hospital }) });
  await expect(card.getByText("Basic (up to 15 doctors and 10,000 patients)")).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await settled(page);
  await card.getByLabel(`Web address for ${hospital}`).fill(slug);
  await card.getByRole("button", { name: "Approve and invite the administrator" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Approved: the clinic is at /c/${slug}` })).toBeVisible();

  // The administrator's invitation; their first sign-in sets up two-factor.
  const invitation = linkIn(await emailTo(adminEmail, "You are invited"), `${baseURL}/invitation?token=`);
  const admin = await (await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled })).newPage();
  await admin.goto(invitation);
  await settled(admin);
  await admin.getByLabel("Choose a password").fill(NEW_PASSWORD);
  await admin.getByLabel("Type it again").fill(NEW_PASSWORD);
  await admin.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Set up two-factor sign-in" })).toBeVisible();
  await settled(admin);
  await setUpAuthenticator(admin);
  await admin.getByRole("link", { name: "I have saved them — continue" }).click();
  await expect(admin).toHaveURL(new RegExp(`/c/${slug}/admin$`));
  await expect(admin.getByText(hospital).first()).toBeVisible();
  await admin.context().close();
});

test("a platform admin rejects a registration with a reason the administrator is emailed", async ({ browser, page }, testInfo) => {
  const project = testInfo.project.name;
  const stamp = Date.now();
  const hospital = `Ridge Clinic ${project} ${stamp}`;
  const adminEmail = `owner-${project}-${stamp}@ridge.example`;
  const visitor = await (await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled })).newPage();
  await visitor.goto("/register");
  await settled(visitor);
  await fillHospital(visitor, hospital, "+44 20 7946 0456");
  await expect(visitor.getByLabel("Administrator's name")).toBeVisible();
  await settled(visitor);
  await visitor.getByLabel("Administrator's name").fill("Ola Berg");
  await visitor.getByLabel("Administrator's email").fill(adminEmail);
  await visitor.getByRole("button", { name: "Next: plan" }).click();
  await expect(visitor.getByRole("group", { name: "Plan" })).toBeVisible();
  await settled(visitor);
  await visitor.getByRole("button", { name: "Send the registration" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Check your inbox" })).toBeVisible();
  await confirmFromEmail(visitor, adminEmail, testInfo.project.use.baseURL!);

  await signIn(page, "platform@hms.example", /\/platform$/);
  await page.goto("/platform/registrations");
  await settled(page);
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: hospital }) });
  await card.getByLabel(`Reason for rejecting ${hospital}`).fill("   ");
  await card.getByRole("button", { name: "Reject" }).click();
  await expect(card.getByText("Say why, for the hospital's email.")).toBeVisible();
  await settled(page);
  await card.getByLabel(`Reason for rejecting ${hospital}`).fill("We could not find this registration number.");
  await card.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rejected" })).toBeVisible();
  await expect(page.getByRole("heading", { name: hospital })).toHaveCount(0);
  // (Long subjects are folded over two header lines: match their start.)
  expect(await emailTo(adminEmail, "The registration of")).toContain("We could not find this registration number.");
});

/** Step 1 of the registration, sent. */
async function fillHospital(page: Page, name: string, phone: string) {
  await page.getByLabel("Hospital name").fill(name);
  await page.getByLabel("Address").fill("12 Quay Street, Northfield");
  await page.getByLabel("Phone").fill(phone);
  await page.getByLabel("Hospital email").fill("office@hospital.example");
  await page.getByLabel("Registration number").fill("HV-2026/77");
  await page.getByLabel("Tax id").fill("GB 998 1122 33");
  await page.getByRole("button", { name: "Next: administrator" }).click();
}

/** The administrator opens the emailed link and confirms; the visitor's browser closes. */
async function confirmFromEmail(visitor: Page, adminEmail: string, baseURL: string) {
  await visitor.goto(linkIn(await emailTo(adminEmail, "Confirm the registration"), `${baseURL}/register/confirm?token=`));
  await expect(visitor.getByRole("heading", { level: 1, name: "Confirm your registration" })).toBeVisible();
  await settled(visitor);
  await visitor.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: "Thank you" })).toBeVisible();
  await visitor.context().close();
}
