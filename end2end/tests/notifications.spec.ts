import { Page, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, nextWeekday, settled } from "./helpers";
import { trustedDevice } from "../playwright.config";

/** The unread count the header's bell says. */
async function unread(page: Page) {
  const name = (await page.getByRole("link", { name: /^Notifications, / }).textContent()) ?? "";
  const n = name.match(/Notifications, (\d+) unread/);
  return n ? Number(n[1]) : 0;
}

/** "Thu 10 Dec": a form's day as the notification centre says it. */
function spoken(day: string) {
  const d = new Date(`${day}T12:00:00Z`);
  const weekday = d.toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  const month = d.toLocaleDateString("en-GB", { month: "short", timeZone: "UTC" });
  return `${weekday} ${d.getUTCDate()} ${month}`;
}

test("a doctor with a page open hears of a patient's booking, reads it and marks it read", async ({ page, browser }, testInfo) => {
  const hydrated = testInfo.project.name !== "no-js";
  // Paediatrics (one doctor), a day of each project's own.
  const day = nextWeekday(hydrated ? 4 : 5);
  const reason = `Rash on both arms (${testInfo.project.name})`;
  await signIn(page, "paeds@riverside.example", /\/c\/riverside\/doctor$/);
  await expect(page.getByRole("link", { name: /^Notifications, / })).toBeVisible();
  await settled(page);
  const before = await unread(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);

  // The patient books with them in the portal, on another device.
  const context = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    viewport: testInfo.project.use.viewport,
    storageState: trustedDevice,
  });
  const patient = await context.newPage();
  await signIn(patient, "patient@riverside.example", /\/c\/riverside\/my-records$/);
  await patient.goto("/c/riverside/my-appointments/new");
  await settled(patient);
  await patient.getByLabel("Department").selectOption({ label: "Paediatrics" });
  await patient.getByLabel("Day").fill(day);
  await patient.getByRole("button", { name: "Show free times" }).click();
  const times = patient.locator("section").filter({ has: patient.getByRole("heading", { name: /^Free times on / }) });
  await times.getByRole("radio").first().check();
  await patient.getByLabel("Reason").fill(reason);
  await patient.getByRole("button", { name: "Book appointment" }).click();
  await expect(patient).toHaveURL(/\/c\/riverside\/my-appointments\?booked=1$/);

  // With JavaScript the open page hears of it without reloading; without,
  // the next page read says it.
  if (!hydrated) await page.reload();
  await expect.poll(() => unread(page), { timeout: 10_000 }).toBeGreaterThan(before);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  await page.getByRole("link", { name: /^Notifications, / }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const booked = page
    .getByRole("listitem")
    .filter({ hasText: `Oliver Grant booked an appointment for ${spoken(day)}` })
    .first();
  await expect(booked).toContainText("New");
  await settled(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  await expect(booked.getByRole("link", { name: /^Open appointment: / })).toHaveAttribute(
    "href",
    /\/c\/riverside\/appointments\/[0-9a-f-]{36}$/,
  );
  await booked.getByRole("button", { name: /^Mark read: Oliver Grant booked/ }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/notifications$/);
  const read = page.getByRole("listitem").filter({ hasText: `Oliver Grant booked an appointment for ${spoken(day)}` }).first();
  await expect(read).not.toContainText("New");
  await expect(read.getByRole("button", { name: /^Mark read/ })).toHaveCount(0);

  // The patient cancels: the doctor is told that too, with the reason.
  await patient.goto("/c/riverside/my-appointments");
  await patient
    .locator("section")
    .filter({ has: patient.getByRole("heading", { name: "Coming up" }) })
    .getByRole("listitem")
    .filter({ hasText: reason })
    .getByRole("link", { name: /^Details or cancel: appointment on / })
    .click();
  await patient.getByLabel("Reason for cancelling").fill("The rash has gone");
  await patient.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(patient).toHaveURL(/\/c\/riverside\/my-appointments\?cancelled=1$/);
  await context.close();

  if (!hydrated) await page.reload();
  const cancelled = page
    .getByRole("listitem")
    .filter({ hasText: `Oliver Grant cancelled their appointment on ${spoken(day)}` })
    .first();
  await expect(cancelled).toContainText("Reason: The rash has gone");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("All read.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await axe.close();
});
