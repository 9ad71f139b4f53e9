import { Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { searchPatients, seriousAxeViolations, settled } from "./helpers";
import { emailCount, emailTo, linkIn } from "./mail";
import { NEW_PASSWORD } from "./staff-helpers";

// Each project works on records of its own: the projects share one database.
const records: Record<string, [string, string]> = {
  hydrated: ["RGH-0000061", "RGH-0000063"],
  "no-js": ["RGH-0000062", "RGH-0000064"],
};

function record(testInfo: TestInfo, which: 0 | 1): string {
  const numbers = records[testInfo.project.name];
  if (!numbers) throw new Error(`no records set aside for ${testInfo.project.name}`);
  return numbers[which];
}

/** As the signed-in receptionist: opens the record with this patient number. */
async function openRecord(page: Page, number: string) {
  await searchPatients(page, "/c/riverside/patients", number);
  await page.getByRole("row").filter({ hasText: number }).getByRole("link").click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}$/);
  await settled(page);
}

function portalCard(page: Page) {
  return page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Patient portal" }) });
}

test("reception invites a patient from their record; the patient sets a password and sees only their own record", async ({ browser, page }, testInfo) => {
  const number = record(testInfo, 0);
  const email = `portal-${testInfo.project.name}-${Date.now()}@example.org`;
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await openRecord(page, number);
  const card = portalCard(page);
  await expect(card).toContainText("Not invited");
  expect(await seriousAxeViolations(page)).toEqual([]);

  // A bad address is refused beside the field, and nothing is sent.
  const field = page.getByLabel("Patient's email");
  await field.fill("maya@example");
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  await expect(page.getByLabel("Patient's email")).toHaveAttribute("aria-invalid", "true");
  await expect(card).toContainText("Enter an email address like name@example.org.");
  await expect(card).toContainText("Not invited");

  await page.getByLabel("Patient's email").fill(email);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The invitation is on its way to the patient." })).toBeVisible();
  await expect(card).toContainText(`Invitation sent to ${email} by Priya Nair`);

  // The email, from the clinic, with its link; the patient in a browser of their own.
  const mail = await emailTo(email, "Your patient portal");
  expect(mail).toContain("Subject: Your patient portal at Riverside General Hospital");
  const link = linkIn(mail, `${testInfo.project.use.baseURL}/invitation?token=`);
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const patient = await context.newPage();
  await patient.goto(link);
  await settled(patient);
  await expect(patient.getByRole("heading", { level: 1, name: "Your patient portal at Riverside General Hospital" })).toBeVisible();
  expect(await seriousAxeViolations(patient)).toEqual([]);
  await patient.getByLabel("Choose a password").fill("too short");
  await patient.getByLabel("Type it again").fill("too short");
  await patient.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(patient.getByLabel("Choose a password")).toHaveAttribute("aria-invalid", "true");
  await patient.getByLabel("Choose a password").fill(NEW_PASSWORD);
  await patient.getByLabel("Type it again").fill(NEW_PASSWORD);
  await patient.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(patient).toHaveURL(/\/c\/riverside\/my-records$/);
  await expect(patient.getByText(number, { exact: true })).toBeVisible();
  await expect(patient.getByText(email)).toBeVisible();
  expect(await seriousAxeViolations(patient)).toEqual([]);

  // They keep their own contact details up to date, and only those.
  await patient.getByRole("link", { name: "Update my contact details" }).click();
  await expect(patient).toHaveURL(/\/c\/riverside\/my-records\/contact$/);
  await settled(patient);
  await expect(patient.getByLabel("Given name")).toHaveCount(0);
  for (const size of [{ width: 768, height: 1024 }, { width: 1280, height: 800 }]) {
    await patient.setViewportSize(size);
    expect(await seriousAxeViolations(patient)).toEqual([]);
  }
  await patient.getByLabel("Emergency contact name").fill("Sam Green");
  await patient.getByLabel("Emergency contact phone").fill("");
  await patient.getByRole("button", { name: "Save my details" }).click();
  await expect(patient.getByText("Enter the emergency contact's phone number.")).toBeVisible();
  await expect(patient.getByLabel("Emergency contact name")).toHaveValue("Sam Green");
  await patient.getByLabel("Emergency contact phone").fill("+44 7700 900456");
  await patient.getByLabel("Phone", { exact: true }).fill("+44 7700 900123");
  await patient.getByRole("button", { name: "Save my details" }).click();
  await expect(patient).toHaveURL(/\/c\/riverside\/my-records\?updated=1$/);
  await expect(patient.getByText("Saved. Your clinic sees your new details now.")).toBeVisible();
  await expect(patient.getByText("+44 7700 900123")).toBeVisible();
  await expect(patient.getByText("Sam Green")).toBeVisible();

  // Staff pages are closed to them.
  const res = await patient.goto("/c/riverside/patients");
  expect(res?.status()).toBe(403);
  await expect(patient.getByRole("heading", { level: 1, name: "Not available to your role" })).toBeVisible();
  await context.close();

  await page.reload();
  await expect(card).toContainText("Active");
  await expect(card).toContainText(`Signs in as ${email}`);
  await expect(page.getByRole("button", { name: "Invite to the portal" })).toHaveCount(0);
});

test("reception sends a portal invitation again and withdraws it; the old links stop working", async ({ page }, testInfo) => {
  const number = record(testInfo, 1);
  const email = `resent-${testInfo.project.name}-${Date.now()}@example.org`;
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await openRecord(page, number);
  const card = portalCard(page);
  await page.getByLabel("Patient's email").fill(email);
  await page.getByRole("button", { name: "Invite to the portal" }).click();
  await expect(card).toContainText(`Invitation sent to ${email}`);
  const first = linkIn(await emailTo(email), `${testInfo.project.use.baseURL}/invitation?token=`);

  await page.getByRole("button", { name: "Send again" }).click();
  await expect(page.getByRole("status").filter({ hasText: "A new link is on its way" })).toBeVisible();
  await expect.poll(() => emailCount(email), { timeout: 20_000 }).toBe(2);

  await page.getByRole("button", { name: "Withdraw the invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The invitation was withdrawn" })).toBeVisible();
  await expect(card).toContainText("Not invited");
  await expect(page.getByRole("button", { name: "Invite to the portal" })).toBeVisible();

  await page.goto(first);
  await expect(page.getByRole("alert")).toContainText("not valid");
});

test("other staff see a patient's portal access but cannot invite", async ({ page }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await searchPatients(page, "/c/riverside/patients", "Grant");
  await page.getByRole("link", { name: "Oliver Grant" }).click();
  await settled(page);
  const card = portalCard(page);
  await expect(card).toContainText("Active");
  await expect(card).toContainText("Signs in as patient@riverside.example");
  await expect(page.getByRole("button", { name: "Invite to the portal" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Send again" })).toHaveCount(0);
});
