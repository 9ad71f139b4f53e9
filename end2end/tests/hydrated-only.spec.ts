import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled } from "./helpers";
import { signIn } from "./auth-helpers";

test("a failing server function shows a clear message, not a blank page", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  // From now on the directory's server function fails as a crashed backend would.
  await page.route("**/fn/clinics/list_clinics", (route) =>
    route.fulfill({ status: 500, contentType: "application/json", body: '"Internal"' }),
  );
  await page.getByRole("link", { name: /^Clinic/ }).click();
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByText("Something went wrong on our side. Please try again.")).toBeVisible();
  // The rest of the app still works.
  await expect(page.getByRole("link", { name: "Try again" })).toBeVisible();
  await expect(page.getByLabel("Search clinics")).toBeVisible();
});

test("an unreachable server is reported as such", async ({ page }) => {
  await page.goto("/clinics");
  await settled(page);
  await page.route("**/fn/clinics/list_clinics", (route) => route.abort("connectionrefused"));
  await page.getByRole("link", { name: /^Address/ }).click();
  await expect(page.getByText("temporarily unavailable")).toBeVisible();
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
