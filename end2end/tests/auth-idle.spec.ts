import { expect, test } from "@playwright/test";
import { idlePort } from "../playwright.config";
import { PASSWORD } from "./auth-helpers";

// This server signs staff out after 20 idle seconds, so the warning shows at 10.
const base = `http://127.0.0.1:${idlePort}`;

test("the idle warning appears and Stay signed in keeps the session", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill("nurse@riverside.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/nurse$/);
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Are you still there?", { timeout: 15_000 });
  await dialog.getByRole("button", { name: "Stay signed in" }).click();
  await expect(dialog).toBeHidden();
  // Past the original timeout, the session is still alive.
  await page.waitForTimeout(12_000);
  await page.goto(`${base}/c/riverside/nurse`);
  await expect(page.getByRole("heading", { level: 1, name: "Nursing dashboard" })).toBeVisible();
});

test("after the idle timeout the next action lands on sign-in and returns", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill("doctor@riverside.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/doctor$/);
  await expect(page.getByRole("alertdialog")).toContainText("You have been signed out", { timeout: 30_000 });
  await page.goto(`${base}/c/riverside/patients`);
  await expect(page).toHaveURL(/\/login\?next=%2Fc%2Friverside%2Fpatients&reason=idle$/);
  await expect(page.getByText("You were signed out because the session was idle.")).toBeVisible();
  await page.getByLabel("Email").fill("doctor@riverside.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients$/);
});
