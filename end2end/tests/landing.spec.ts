import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled } from "./helpers";

test("the landing page explains HMS under a clinic-neutral title", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Hospital Management System · HMS");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Run your hospital");
  await expect(page.getByRole("heading", { name: "One system for everyone in the building" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  // No clinic's name belongs on the public front page.
  await expect(page.locator("body")).not.toContainText("Riverside");
});

test("the landing page leads to the clinic directory", async ({ page }) => {
  await page.goto("/");
  await settled(page);
  await page.getByRole("main").getByRole("link", { name: "Find your clinic" }).click();
  await expect(page).toHaveURL(/\/clinics$/);
  await expect(page.getByRole("heading", { level: 1, name: "Find your clinic" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Riverside General Hospital" })).toBeVisible();
});

test("the landing page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/");
  await settled(page);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("every interactive element is at least 44 px tall for touch", async ({ page }) => {
  await page.goto("/");
  await settled(page);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll("a, button, summary, input, select")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        // Visually hidden elements (the skip link until focused) are 1 px.
        return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden";
      })
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(small).toEqual([]);
});
