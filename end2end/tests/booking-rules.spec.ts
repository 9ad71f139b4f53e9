import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

test("the clinic admin changes the booking rules; a value out of range is refused by its field", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.goto("/c/riverside/schedule");
  await page.getByRole("link", { name: "Booking rules" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/schedule\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Booking rules" })).toBeVisible();
  const horizon = page.getByLabel("Book up to (days ahead)");
  await expect(horizon).toHaveValue("90");
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // Out of range: refused beside the field, nothing saved.
  await horizon.evaluate((el: HTMLInputElement) => el.removeAttribute("max"));
  await horizon.fill("1000");
  await page.getByRole("button", { name: "Save booking rules" }).click();
  await expect(page.getByText("Enter a whole number from 1 to 730.")).toBeVisible();
  expect(await axe.check()).toEqual([]);

  // Saved, then put back as the other tests expect it.
  await page.goto("/c/riverside/schedule/settings");
  await settled(page);
  await page.getByLabel("Book up to (days ahead)").fill("120");
  await page.getByRole("button", { name: "Save booking rules" }).click();
  await expect(page.getByText("Booking rules saved.")).toBeVisible();
  await expect(page.getByLabel("Book up to (days ahead)")).toHaveValue("120");
  await settled(page);
  await page.getByLabel("Book up to (days ahead)").fill("90");
  await page.getByRole("button", { name: "Save booking rules" }).click();
  await expect(page.getByLabel("Book up to (days ahead)")).toHaveValue("90");
  await axe.close();
});

test("only the clinic admin finds the booking rules", async ({ page }) => {
  await signIn(page, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  await page.goto("/c/riverside/schedule");
  await expect(page.getByRole("heading", { level: 1, name: "Schedule" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Booking rules" })).toHaveCount(0);
  await page.goto("/c/riverside/schedule/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Not available to your role" })).toBeVisible();
  await expect(page.getByLabel("Book up to (days ahead)")).toHaveCount(0);
});
