import { BrowserContextOptions, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, nextWeekday, settled } from "./helpers";

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

test("the clinic admin sets opening hours and closes the clinic for a holiday", async ({ page, browser }, testInfo) => {
  // Hilltop, where no other test books; each project a holiday of its own.
  const project = testInfo.project.name === "no-js" ? "no-js" : "hydrated";
  const day = nextWeekday(project === "no-js" ? 11 : 10);
  const name = `Founders' Day (${project})`;
  await signIn(page, "admin@hilltop.example", /\/c\/hilltop\/admin$/);
  await page.goto("/c/hilltop/schedule/settings");
  await expect(page.getByRole("heading", { name: "Opening hours" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Holidays", exact: true })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  for (const size of [{ width: 1280, height: 800 }, { width: 768, height: 1024 }]) {
    await page.setViewportSize(size);
    expect(await axe.check()).toEqual([]);
  }

  // A session that ends before it starts is refused beside its row.
  await page.getByLabel("Monday, session 1, starts").fill("12:00");
  await page.getByLabel("Monday, session 1, ends").fill("10:00");
  await page.getByRole("button", { name: "Save opening hours" }).click();
  await expect(page.getByText("The session must end after it starts.")).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await page.getByLabel("Monday, session 1, starts").fill("08:00");
  await page.getByLabel("Monday, session 1, ends").fill("18:00");
  await page.getByRole("button", { name: "Save opening hours" }).click();
  await expect(page.getByText("Opening hours saved.")).toBeVisible();
  await expect(page.getByLabel("Monday, session 1, starts")).toHaveValue("08:00");
  await expect(page.getByText("Appointments must fall inside these hours")).toBeVisible();

  // A day gone by is refused; the day ahead is added, listed and removed.
  const date = page.getByLabel(/^Date/);
  await date.evaluate((el: HTMLInputElement) => el.removeAttribute("min"));
  await date.fill("2020-01-06");
  await page.getByLabel(/^Name/).fill(name);
  await page.getByRole("button", { name: "Add holiday" }).click();
  await expect(page.getByText("Choose today or a later day.")).toBeVisible();
  await expect(page.getByLabel(/^Date/)).toHaveAttribute("aria-invalid", "true");
  expect(await axe.check()).toEqual([]);
  await page.getByLabel(/^Date/).fill(day);
  await page.getByLabel(/^Name/).fill(name);
  await page.getByRole("button", { name: "Add holiday" }).click();
  await expect(page.getByText("Holiday added: nothing more is booked that day.")).toBeVisible();
  const row = page.getByRole("table", { name: "Holidays ahead" }).getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await settled(page);
  expect(await axe.check()).toEqual([]);
  // The front desk, looking at that day, is told why nothing is free.
  const desk = await browser.newContext({ ...testInfo.project.use, baseURL: new URL(page.url()).origin } as BrowserContextOptions);
  const deskPage = await desk.newPage();
  await signIn(deskPage, "reception@hilltop.example", /\/c\/hilltop\/reception$/);
  await deskPage.goto(`/c/hilltop/appointments?day=${day}`);
  await settled(deskPage);
  await deskPage.getByLabel("Department").selectOption({ label: "General Medicine" });
  await deskPage.getByRole("button", { name: "Show", exact: true }).click();
  await expect(deskPage.getByText(`The clinic is closed on this day (${name}).`)).toBeVisible();
  await desk.close();

  await row.getByRole("button", { name: /^Remove the holiday on / }).click();
  await expect(page.getByText("Holiday removed: the usual hours apply that day again.")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  await axe.close();
});
