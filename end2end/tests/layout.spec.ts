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
