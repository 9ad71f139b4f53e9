import { test, expect } from "@playwright/test";
import { settled } from "./helpers";

test("navigation fits the screen: a drawer on tablets, a sidebar on wide screens", async ({ page }) => {
  await page.goto("/");
  await settled(page);
  const width = page.viewportSize()!.width;
  const menu = page.getByText("Menu", { exact: true });
  if (width < 1024) {
    await expect(menu).toBeVisible();
    await menu.click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Find a clinic" }).click();
  } else {
    await expect(menu).toBeHidden();
    await page.locator("aside").getByRole("link", { name: "Find a clinic" }).click();
  }
  await expect(page).toHaveURL(/\/clinics$/);
  await expect(page.getByRole("heading", { level: 1, name: "Find your clinic" })).toBeVisible();
  // The page never scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("keyboard users can skip straight to the content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});

test("on a phone a table becomes cards, each line named by its column; on a tablet it stays a table", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/clinics");
  await settled(page);
  const table = page.getByRole("region", { name: /^Clinics using HMS/ });
  const firstRow = table.locator("tbody tr").first();
  await expect(firstRow).toBeVisible();
  const lines = await firstRow.locator("td").evaluateAll((cells) =>
    cells.map((td) => ({
      label: getComputedStyle(td, "::before").content,
      display: getComputedStyle(td).display,
    })),
  );
  expect(lines).toEqual([
    { label: '"Clinic"', display: "block" },
    { label: '"Address"', display: "block" },
    { label: '"Phone"', display: "block" },
  ]);
  // Nothing to scroll sideways, in the table or the page; sorting stays at hand.
  expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await expect(table.getByRole("link", { name: /^Address/ })).toBeVisible();

  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await firstRow.locator("td").first().evaluate((td) => getComputedStyle(td).display)).toBe("table-cell");
});
