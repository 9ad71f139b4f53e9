import { Page, expect } from "@playwright/test";
import { settled } from "./helpers";

export const PASSWORD = "hms-demo-password";

/** Signs in through the form, as a person would, and waits for the landing page. */
export async function signIn(page: Page, email: string, landing: RegExp, password = PASSWORD) {
  await page.goto("/login");
  await settled(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(landing);
}

/** The labels of the main navigation, in order. */
export async function navLabels(page: Page) {
  // Wide screens show the sidebar; tablets the drawer. Both hold the same links.
  const nav = page.getByRole("navigation", { name: "Main" });
  const drawer = page.locator("header details summary", { hasText: /^\s*Menu\s*$/ });
  if (await drawer.isVisible()) await drawer.click();
  const visible = nav.filter({ visible: true }).first();
  return (await visible.getByRole("link").allTextContents()).map((s) => s.trim());
}
