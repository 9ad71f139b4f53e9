import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, ownerPsql, settled } from "./helpers";
import { trustedDevice } from "../playwright.config";

/** The portal patient's booking online paused, as the no-show sweep does after three misses. */
function pausePortalPatient() {
  ownerPsql(
    `insert into self_booking_suspensions (clinic_id, patient_id, no_shows, window_days)
     select p.clinic_id, p.id, 3, 90 from patients p join users u on u.id = p.user_id
     where u.email = 'patient@riverside.example'
     on conflict do nothing;`,
  );
}

test("a paused patient is told to call, the desk sees why and the admin allows booking again", async ({ page, browser }, testInfo) => {
  pausePortalPatient();
  // The patient: no "Book appointment", the reason and what to do instead.
  await signIn(page, "patient@riverside.example", /\/c\/riverside\/my-records$/);
  await page.goto("/c/riverside/my-appointments");
  await expect(page.getByText(/Booking online paused since .* after 3 missed appointments in 90 days\. Please call the clinic to book\./)).toBeVisible();
  await expect(page.getByRole("link", { name: "Book appointment" })).toHaveCount(0);
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await axe.close();
  const patientId = ownerPsql(
    `select p.id from patients p join users u on u.id = p.user_id where u.email = 'patient@riverside.example'`,
  );

  // The desk sees why on the record, and cannot lift it.
  const context = () =>
    browser.newContext({
      javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
      viewport: testInfo.project.use.viewport,
      storageState: trustedDevice,
    });
  const desk = await (await context()).newPage();
  await signIn(desk, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await desk.goto(`/c/riverside/patients/${patientId}`);
  await expect(desk.getByRole("heading", { level: 2, name: "Booking online" })).toBeVisible();
  await expect(desk.getByText(/after 3 missed appointments in 90 days/)).toBeVisible();
  await expect(desk.getByRole("button", { name: "Allow booking online" })).toHaveCount(0);

  // The admin lifts it, with the reason the audit trail keeps.
  const admin = await (await context()).newPage();
  await signIn(admin, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await admin.goto(`/c/riverside/patients/${patientId}`);
  await expect(admin.getByRole("button", { name: "Allow booking online" })).toBeVisible();
  await settled(admin);
  const adminAxe = await axeChecker(admin);
  expect(await adminAxe.check()).toEqual([]);
  await admin.setViewportSize({ width: 1280, height: 800 });
  expect(await adminAxe.check()).toEqual([]);
  await admin.setViewportSize({ width: 768, height: 1024 });
  await admin.getByLabel("Reason for allowing it again").evaluate((el: HTMLTextAreaElement) => el.removeAttribute("required"));
  await admin.getByRole("button", { name: "Allow booking online" }).click();
  await expect(admin.getByText("Say why booking online is allowed again.")).toBeVisible();
  await admin.getByLabel("Reason for allowing it again").fill(`Spoke to the patient (${testInfo.project.name})`);
  await admin.getByRole("button", { name: "Allow booking online" }).click();
  await expect(admin.getByRole("heading", { level: 2, name: "Booking online" })).toHaveCount(0);
  await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await adminAxe.check()).toEqual([]);
  await adminAxe.close();

  // The patient may book online again.
  await page.reload();
  await expect(page.getByRole("link", { name: "Book appointment" })).toBeVisible();
});
