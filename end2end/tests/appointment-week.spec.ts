import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

test("the front desk reads the week, moves between weeks and opens a day", async ({ page }) => {
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await page.goto("/c/riverside/appointments");
  await page.getByRole("link", { name: "Week view" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Appointments by week" })).toBeVisible();
  const week = page.getByRole("heading", { level: 2, name: / to / });
  const first = await week.textContent();
  // Seven days, Monday first, today marked.
  const days = page.locator("section[aria-labelledby=week-title] section");
  await expect(days).toHaveCount(7);
  await expect(days.first().getByRole("heading", { level: 3 })).toContainText(/Mon|Today, Mon/);
  await expect(page.getByRole("region", { name: /^Today, / })).toHaveCount(1);
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  await page.getByRole("link", { name: "Next week" }).click();
  await expect(week).not.toHaveText(first!);
  await expect(page.getByRole("region", { name: /^Today, / })).toHaveCount(0);
  await page.getByLabel("Department").selectOption({ label: "Cardiology" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/department=[0-9a-f-]{36}/);
  await expect(page.getByLabel("Department")).toHaveValue(/[0-9a-f-]{36}/);
  await page.getByRole("link", { name: "This week" }).click();
  await expect(week).toHaveText(first!);

  // A day's heading opens that day, with the same filters.
  await page.getByRole("region", { name: /^Today, / }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\?day=\d{4}-\d{2}-\d{2}&department=[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { level: 2, name: /^Today, / })).toBeVisible();
  await axe.close();
});
