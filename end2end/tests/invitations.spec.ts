import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";
import { emailCount, emailTo, linkIn } from "./mail";

const NEW_PASSWORD = "lantern orchard pebble";

test("a clinic admin invites a receptionist, who follows the email and lands on the front desk", async ({ browser, page }, testInfo) => {
  const email = `reception-${testInfo.project.name}-${Date.now()}@riverside.example`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.goto("/c/riverside/invitations");
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "Staff invitations" })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill("Asha Patel");
  await page.getByLabel("Role").selectOption("receptionist");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The invitation is on its way." })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("Receptionist");

  // The email arrives at the SMTP server, from the clinic, with its link.
  const mail = await emailTo(email);
  expect(mail).toContain("Subject: You are invited to join Riverside General Hospital on HMS");
  const link = linkIn(mail, `${testInfo.project.use.baseURL}/invitation?token=`);

  // The receptionist, in a browser of their own.
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const invitee = await context.newPage();
  await invitee.goto(link);
  await settled(invitee);
  await expect(invitee.getByRole("heading", { level: 1, name: "Join Riverside General Hospital" })).toBeVisible();
  expect(await seriousAxeViolations(invitee)).toEqual([]);
  await invitee.getByLabel("Choose a password").fill(NEW_PASSWORD);
  await invitee.getByLabel("Type it again").fill(NEW_PASSWORD);
  await invitee.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(invitee).toHaveURL(/\/c\/riverside\/reception$/);
  await expect(invitee.getByRole("heading", { level: 1, name: "Front desk" })).toBeVisible();

  // The link is used up, and the invitation has left the admin's list.
  await invitee.goto(link);
  await expect(invitee.getByRole("alert")).toContainText("already been used");
  await context.close();
  await page.goto("/c/riverside/invitations");
  await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
});

test("an invitation the form cannot send says why next to the field", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.goto("/c/riverside/invitations");
  await settled(page);
  await page.getByLabel("Email").fill(`doctor-${Date.now()}@riverside.example`);
  await page.getByLabel("Name").fill("Dev Shah");
  await page.getByLabel("Role").selectOption("doctor");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const department = page.getByLabel("Department");
  await expect(department).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Choose the department this doctor works in.")).toBeVisible();

  await page.getByLabel("Email").fill("nurse@riverside.example");
  await page.getByLabel("Name").fill("Already Here");
  await page.getByLabel("Role").selectOption("nurse");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("This person already works in this clinic.", { exact: false })).toBeVisible();
});

test("a forged invitation link explains itself and offers sign-in", async ({ page }) => {
  const res = await page.goto(`/invitation?token=${"0".repeat(64)}`);
  expect(res?.status()).toBe(409);
  await expect(page.getByRole("heading", { level: 1, name: "This invitation cannot be used" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("not valid");
  await expect(page.getByRole("link", { name: "Go to sign in" })).toBeVisible();
});

test("an admin sends an invitation again and withdraws another; their old links stop working", async ({ page }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const [again, withdrawn] = [`again-${stamp}@riverside.example`, `withdrawn-${stamp}@riverside.example`];
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  for (const email of [again, withdrawn]) {
    await page.goto("/c/riverside/invitations");
    await settled(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Name").fill("Sam Lee");
    await page.getByLabel("Role").selectOption("lab_technician");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByRole("row").filter({ hasText: email })).toBeVisible();
  }
  const firstLink = linkIn(await emailTo(again), `${testInfo.project.use.baseURL}/invitation?token=`);
  const withdrawnLink = linkIn(await emailTo(withdrawn), `${testInfo.project.use.baseURL}/invitation?token=`);

  await page.getByRole("button", { name: `Send again to ${again}` }).click();
  await expect.poll(() => emailCount(again), { timeout: 20_000 }).toBe(2);
  await page.goto("/c/riverside/invitations");
  await page.getByRole("button", { name: `Withdraw the invitation to ${withdrawn}` }).click();
  await expect(page.getByRole("row").filter({ hasText: withdrawn })).toHaveCount(0);

  await page.goto(firstLink);
  await expect(page.getByRole("alert")).toContainText("not valid");
  await page.goto(withdrawnLink);
  await expect(page.getByRole("alert")).toContainText("withdrawn");
});
