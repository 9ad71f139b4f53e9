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
