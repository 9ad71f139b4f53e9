import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";
import { acceptFromEmail, invite } from "./staff-helpers";

test("a clinic admin changes a nurse's role, deactivates her and lets her back", async ({ browser, page }, testInfo) => {
  const email = `nurse-${testInfo.project.name}-${Date.now()}@riverside.example`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await invite(page, email, "Mara Quinn", "nurse");
  const nurse = await acceptFromEmail(browser, testInfo, email);
  await expect(nurse).toHaveURL(/\/c\/riverside\/nurse$/);

  // From the staff directory to her page.
  await page.goto("/c/riverside/admin");
  await settled(page);
  const rows = page.getByRole("row").filter({ hasText: email });
  await rows.getByRole("link", { name: "Manage Mara Quinn (Nurse)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mara Quinn" })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);

  // A doctor needs a department: the form says so by the field.
  await page.getByLabel("Role").selectOption("doctor");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Choose the department this doctor works in.")).toBeVisible();
  await page.getByLabel("Role").selectOption("doctor");
  await page.getByLabel("Department").selectOption({ label: "Cardiology" });
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByLabel("Role")).toHaveValue("doctor");

  // Her open page now needs a new sign-in, which says why.
  await nurse.goto("/c/riverside/nurse");
  await expect(nurse).toHaveURL(/\/login\?.*reason=access_changed/);
  await expect(nurse.getByText("A clinic administrator changed your access.")).toBeVisible();

  // Deactivated, she can no longer open the clinic; reactivated, she can.
  await page.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();
  await nurse.getByLabel("Email").fill(email);
  await nurse.getByLabel("Password").fill("lantern orchard pebble");
  await nurse.getByRole("button", { name: "Sign in" }).click();
  await expect(nurse).not.toHaveURL(/\/login/);
  expect((await nurse.goto("/c/riverside/doctor"))?.status()).toBe(404);
  await page.getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByRole("button", { name: "Deactivate" })).toBeVisible();
  expect((await nurse.goto("/c/riverside/doctor"))?.status()).toBe(200);
  await nurse.context().close();
});

test("an admin cannot change their own access", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.getByRole("link", { name: "Manage Margaret Ellis (Clinic admin)" }).click();
  await expect(page.getByText("You cannot change your own role or deactivate yourself.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
});

test("a clinic admin fills in a doctor's profile; a fee that is not an amount is explained by its field", async ({ page }, testInfo) => {
  // Each project edits its own doctor, as they run side by side.
  const [name, role] = testInfo.project.name === "no-js" ? ["Dr Amelia Hart", "Doctor"] : ["Dr Samuel Okafor", "Head of department"];
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.getByRole("link", { name: `Manage ${name} (${role})` }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await settled(page);
  const licence = `GMC-${testInfo.project.name}`;
  await page.getByLabel("Specialization").fill("Cardiology");
  await page.getByLabel("Licence number").fill(licence);
  await page.getByLabel("Qualification").fill("MBBS, MD (Cardiology)");
  await page.getByLabel("Years of experience").fill("18");
  await page.getByLabel("Consultation fee").fill("a lot");
  await page.getByLabel("Availability").selectOption("on_leave");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Enter an amount such as 150 or 150.50")).toBeVisible();
  await expect(page.getByLabel("Consultation fee")).toHaveAttribute("aria-invalid", "true");

  await settled(page);
  await page.getByLabel("Licence number").fill(licence);
  await page.getByLabel("Consultation fee").fill("250.5");
  await page.getByLabel("Availability").selectOption("on_leave");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  // What was stored, as the page shows it when opened again.
  await page.reload();
  await expect(page.getByLabel("Consultation fee")).toHaveValue("250.50");
  await expect(page.getByLabel("Licence number")).toHaveValue(licence);
  await expect(page.getByLabel("Availability")).toHaveValue("on_leave");
});
