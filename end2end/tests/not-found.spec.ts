import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled } from "./helpers";

test("an unknown URL shows the 404 page with a link home", async ({ page }) => {
  const response = await page.goto("/wards/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · HMS");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await settled(page);
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Run your hospital");
});

test("the 404 page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/nope");
  await settled(page);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("the design catalogue is not served by release builds", async ({ page }) => {
  const response = await page.goto("/design");
  expect(response?.status()).toBe(404);
});
