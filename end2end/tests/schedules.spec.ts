import { TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

/**
 * Each project changes a doctor of its own, and only their Saturday and a
 * day two months ahead: the appointment specs book weekdays this week.
 */
function doctorOf(testInfo: TestInfo) {
  return testInfo.project.name === "no-js" ? "cardio2@riverside.example" : "paeds@riverside.example";
}

function daysAhead(n: number) {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return d.toISOString().slice(0, 10);
}

test("a doctor changes their Saturday hours and adds and removes a day of leave", async ({ page }, testInfo) => {
  await signIn(page, doctorOf(testInfo), /\/c\/riverside\/doctor$/);
  await page.goto("/c/riverside/schedule");
  await expect(page.getByRole("heading", { level: 1, name: "Schedule" })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // A session that ends before it starts is refused by its row.
  await page.getByLabel("Saturday, session 1, ends").fill("08:00");
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByText("The session must end after it starts.")).toBeVisible();

  await page.getByLabel("Saturday, session 1, starts").fill("10:00");
  await page.getByLabel("Saturday, session 1, ends").fill("12:30");
  await page.getByLabel("Saturday, session 1, room").fill("Room 12");
  await page.getByRole("button", { name: "Save weekly hours" }).click();
  await expect(page.getByText("Weekly hours saved.")).toBeVisible();
  await expect(page.getByLabel("Saturday, session 1, ends")).toHaveValue("12:30");
  await expect(page.getByLabel("Saturday, session 1, room")).toHaveValue("Room 12");

  // Leave: its dates are required, then it is listed until removed.
  const day = daysAhead(60);
  await page.getByLabel("From date").fill(day);
  await page.getByLabel("To date").evaluate((el: HTMLInputElement) => el.removeAttribute("required"));
  await page.getByRole("button", { name: "Add to schedule" }).click();
  await expect(page.getByText("Enter a date (YYYY-MM-DD).")).toBeVisible();
  await page.getByLabel("From date").fill(day);
  await page.getByLabel("To date").fill(day);
  await page.getByLabel("Reason", { exact: true }).fill("Conference");
  await page.getByRole("button", { name: "Add to schedule" }).click();
  await expect(page.getByText("Added to the schedule.")).toBeVisible();
  const ahead = page.getByRole("table", { name: "Ahead" });
  const row = ahead.getByRole("row").filter({ hasText: "Conference" });
  await expect(row).toContainText("Leave");
  expect(await axe.check()).toEqual([]);
  await row.getByRole("button", { name: /^Remove leave from / }).click();
  await expect(page.getByText("Removed from the schedule.")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Conference" })).toHaveCount(0);
  await axe.close();
});

test("the front desk has no schedule to change", async ({ page }) => {
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  const res = await page.goto("/c/riverside/schedule");
  expect(res?.status()).toBe(403);
});
