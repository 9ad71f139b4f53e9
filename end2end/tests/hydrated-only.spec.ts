import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled, underTheWorker } from "./helpers";
import { signIn } from "./auth-helpers";

test("a form sent offline shows the offline page, saves nothing, and Try again goes back to it", async ({ page, context }) => {
  await underTheWorker(page, "/forgot-password");
  await context.setOffline(true);
  try {
    await page.getByLabel("Email").fill("nurse@riverside.example");
    await page.getByRole("button", { name: /Send/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
    await expect(page.getByText("Nothing was saved or changed.")).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  // Trying again returns to the form, not to the address it posts to.
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByLabel("Email")).toBeVisible();
});

test("a server that does not answer is reported as such, not as offline", async ({ page, context }) => {
  await underTheWorker(page, "/clinics");
  // The network is up, but nothing answers for the next page.
  await context.route(/\/clinics\?/, (route) => route.abort("connectionrefused"));
  await page.getByRole("link", { name: /^Clinic/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "HMS cannot be reached" })).toBeVisible();
  await expect(page).toHaveTitle("HMS cannot be reached · HMS");
  await context.unroute(/\/clinics\?/);
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByLabel("Search clinics")).toBeVisible();
});

test("the accessibility check itself catches a violation", async ({ page }) => {
  // Guards the a11y tests against passing vacuously.
  await page.goto("/");
  await settled(page);
  await page.evaluate(() => {
    const button = document.createElement("button");
    document.querySelector("main")!.appendChild(button);
  });
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v: { id: string }) => v.id)).toContain("button-name");
});

test("what is typed before the app loads survives hydration", async ({ page }) => {
  // Hold the WASM bundle back, as a slow tablet connection would.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/.*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill("nurse@riverside.example");
  release();
  await settled(page);
  await expect(page.getByLabel("Email")).toHaveValue("nurse@riverside.example");
});

test("offline, an in-app navigation shows the offline state and what still works", async ({ page, context }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await settled(page);
  await context.setOffline(true);
  try {
    const drawer = page.locator("header details summary", { hasText: /^\s*Menu\s*$/ });
    if (await drawer.isVisible()) await drawer.click();
    await page.getByRole("navigation", { name: "Main" }).filter({ visible: true }).getByRole("link", { name: "Patients" }).click();
    await expect(page).toHaveURL(/\/c\/riverside\/patients$/);
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
    await expect(page.getByText("Patient records are never kept on this device.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  } finally {
    await context.setOffline(false);
  }
  // Back online, trying again opens the page.
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
});
