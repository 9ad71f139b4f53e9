import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled } from "./helpers";

test("searching the directory narrows the list", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  await expect(page.getByRole("cell", { name: "Hilltop Clinic" })).toBeVisible();
  await page.getByLabel("Search clinics").fill("river");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=river/);
  // The address holds what was searched and nothing of the form's own.
  expect(page.url()).not.toContain("&=");
  await expect(page.getByRole("cell", { name: "Riverside General Hospital" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Hilltop Clinic" })).toHaveCount(0);
});

test("a clinic's name in the directory leads to its sign-in", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  await page.getByRole("link", { name: "Hilltop Clinic" }).click();
  await expect(page).toHaveURL(/\/login\?clinic=hilltop$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
});

test("a search with no match says so", async ({ page }) => {
  await page.goto("/clinics?q=zzz-nowhere");
  await expect(page.getByText("No clinics found")).toBeVisible();
});

test("sorting by clinic name toggles the order", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  // Other tests register hospitals too: compare the demo clinics' order.
  const demo = page.locator("tbody tr td:first-child").filter({ hasText: /^(Hilltop Clinic|Riverside General Hospital)$/ });
  await expect(demo).toHaveText(["Hilltop Clinic", "Riverside General Hospital"]);
  await page.getByRole("link", { name: /^Clinic/ }).click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(demo).toHaveText(["Riverside General Hospital", "Hilltop Clinic"]);
  await expect(page.getByRole("columnheader", { name: /Clinic/ })).toHaveAttribute("aria-sort", "descending");
});

test("an over-long search is refused next to the field", async ({ page }) => {
  const response = await page.goto(`/clinics?q=${"x".repeat(101)}`);
  expect(response?.status()).toBe(422);
  const field = page.getByLabel("Search clinics");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert")).toHaveText("Search text can be at most 100 characters.");
  await expect(page.locator("table")).toHaveCount(0);
});

test("the directory has no serious accessibility violations", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("a page past the end of the list offers the way back", async ({ page }) => {
  await page.goto("/clinics?page=9");
  await expect(page.getByText("No more clinics")).toBeVisible();
  await settled(page);
  await page.getByRole("link", { name: "Back to the first page" }).click();
  await expect(page.getByRole("cell", { name: "Hilltop Clinic" })).toBeVisible();
  await expect(page.getByText(/Showing 1–\d+ of \d+/)).toBeVisible();
});
