import { Browser, Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";
import { idlePort, trustedDevice } from "../playwright.config";

/**
 * Each project has a department and doctor of its own: the projects share
 * one database, and "Call next" takes whoever is next in the department.
 */
function place(testInfo: TestInfo) {
  return testInfo.project.name === "no-js"
    ? { department: "Cardiology", doctor: "cardio2@riverside.example", family: "Queuenojs" }
    : { department: "Paediatrics", doctor: "paeds@riverside.example", family: "Queuehydrated" };
}

async function registerPatient(page: Page, given: string, family: string) {
  await page.goto("/c/riverside/patients/new");
  await settled(page);
  await page.getByLabel("Given name").fill(given);
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("2019-06-01");
  await page.getByLabel("Sex").selectOption("male");
  await page.getByLabel("ID type").selectOption("none");
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${given} ${family}` })).toBeVisible();
}

/** Whole years from `born` to today, as the queue shows a patient's age. */
function yearsSince(born: string) {
  const [y, m, d] = born.split("-").map(Number);
  const now = new Date();
  const before = now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d);
  return now.getFullYear() - y - (before ? 1 : 0);
}

async function signedInAs(browser: Browser, testInfo: TestInfo, email: string, landing = /\/c\/riverside\/doctor$/) {
  const context = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    viewport: testInfo.project.use.viewport,
  });
  const page = await context.newPage();
  await signIn(page, email, landing);
  return { context, page };
}

test("reception checks a patient in and prints the slip; the doctor calls, starts and completes the visit", async ({ page, browser }, testInfo) => {
  const { department, doctor, family } = place(testInfo);
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await registerPatient(page, "Arun", family);
  const number = (await page.getByText(/The patient number is PT-/).textContent())!.match(/PT-\d{4}-\d{5}/)![0];

  await page.getByRole("link", { name: "Check in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\/check-in$/);
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // No department chosen: refused beside the field.
  await page.getByLabel("Reason for visit").fill("Fever for two days");
  await page.getByLabel("Department").evaluate((el: HTMLSelectElement) => el.removeAttribute("required"));
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page.getByText("Choose a department.")).toBeVisible();

  await page.getByLabel("Department").selectOption({ label: department });
  await page.getByLabel("Reason for visit").fill("Fever for two days");
  await page.getByLabel("Priority").selectOption("urgent");
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/visits\/[0-9a-f-]{36}\/slip$/);
  const slip = page.getByRole("region", { name: "Token slip" });
  await expect(slip).toContainText(/Token \d+/);
  await expect(slip).toContainText(department);
  await expect(slip).toContainText("Estimated wait");
  await expect(slip).toContainText("Riverside General Hospital");
  expect(await axe.check()).toEqual([]);
  const token = (await slip.getByText(/^Token \d+$/).textContent())!.trim();

  // The front desk's queue holds the visit.
  await page.goto("/c/riverside/reception");
  const row = page.getByRole("table", { name: "Today's visits" }).getByRole("row").filter({ hasText: `Arun ${family}` });
  await expect(row).toContainText(token);
  await expect(row).toContainText("Urgent");
  await expect(row).toContainText("Waiting");
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  await axe.close();

  // A nurse takes the vital signs of those waiting for triage.
  const ward = await signedInAs(browser, testInfo, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  const triage = ward.page.getByRole("region", { name: "Waiting for triage" });
  await triage.getByRole("link", { name: `Record vitals: Arun ${family} (token ${token.replace("Token ", "")})` }).click();
  await expect(ward.page.getByRole("heading", { level: 1, name: "Vital signs" })).toBeVisible();
  const wardAxe = await axeChecker(ward.page);
  expect(await wardAxe.check()).toEqual([]);
  // A temperature in Fahrenheit is refused beside its field.
  await ward.page.getByLabel("Temperature").fill("101.3");
  await ward.page.getByRole("button", { name: "Save vital signs" }).click();
  await expect(ward.page.getByText(/Temperature must be between 25 and 45/)).toBeVisible();
  await ward.page.getByLabel("Systolic blood pressure").fill("150");
  await ward.page.getByLabel("Diastolic blood pressure").fill("95");
  await ward.page.getByLabel("Heart rate").fill("88");
  await ward.page.getByLabel("Temperature").fill("38.4");
  await ward.page.getByRole("button", { name: "Save vital signs" }).click();
  await expect(ward.page.getByText("Vital signs saved.")).toBeVisible();
  await expect(triage.getByRole("row").filter({ hasText: `Arun ${family}` })).toHaveCount(0);
  expect(await wardAxe.check()).toEqual([]);
  await wardAxe.close();
  await ward.context.close();

  const doc = await signedInAs(browser, testInfo, doctor);
  const queue = doc.page.getByRole("region", { name: "Today's queue" });
  await expect(queue.getByRole("heading", { name: "Today's queue" })).toBeVisible();
  const mine = queue.getByRole("row").filter({ hasText: `Arun ${family}` });
  await expect(mine).toContainText("Fever for two days");
  await expect(mine).toContainText(`${yearsSince("2019-06-01")} years`);
  // The nurse's readings, the abnormal ones flagged in words.
  await expect(mine).toContainText("BP 150/95 mmHg (high)");
  await expect(mine).toContainText("T 38.4 °C (high)");
  await expect(mine).toContainText("HR 88 /min");
  const docAxe = await axeChecker(doc.page);
  expect(await docAxe.check()).toEqual([]);

  await queue.getByRole("button", { name: "Call next" }).click();
  await expect(doc.page.getByText(`${token} called`)).toBeVisible();
  await expect(mine).toContainText("Called");
  await mine.getByRole("button", { name: /^Start consultation/ }).click();
  await expect(mine).toContainText("In consultation");
  expect(await docAxe.check()).toEqual([]);
  await mine.getByRole("button", { name: /^Complete visit/ }).click();
  await expect(mine).toHaveCount(0);
  await docAxe.close();
  await doc.context.close();

  // The front desk sees it completed.
  await page.goto("/c/riverside/reception?showing=all");
  await expect(
    page.getByRole("table", { name: "Today's visits" }).getByRole("row").filter({ hasText: `Arun ${family}` }),
  ).toContainText("Completed");

  // The clinic admin's audit log follows the patient into the visit and the
  // nurse's readings, and says which each event touched.
  const adminContext = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    viewport: testInfo.project.use.viewport,
    storageState: trustedDevice,
  });
  const admin = await adminContext.newPage();
  await signIn(admin, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await admin.goto("/c/riverside/audit");
  await settled(admin);
  await admin.getByLabel("Patient number").fill(number);
  await admin.getByRole("button", { name: "Filter" }).click();
  const trail = admin.getByRole("table", { name: "Audit events" });
  await expect(trail.getByRole("row").filter({ hasText: `Visit of patient ${number}` }).first()).toBeVisible();
  await expect(trail.getByRole("row").filter({ hasText: `Vital signs of patient ${number}` }).first()).toBeVisible();
  // The registration itself, named as the record (case matters: not "of patient").
  await expect(trail.getByRole("row").filter({ hasText: new RegExp(`Created.*Patient ${number}`) }).first()).toBeVisible();
  await adminContext.close();
});

test("a check-in made through one server appears on a doctor's queue served by another, without reloading", async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "live updates need JavaScript; without it the queue has a Refresh link");
  // The second `hms serve` process on the same database (playwright.config.ts).
  const other = await browser.newContext({ baseURL: `http://127.0.0.1:${idlePort}`, viewport: testInfo.project.use.viewport });
  const doctor = await other.newPage();
  await signIn(doctor, "gp2@riverside.example", /\/c\/riverside\/doctor$/);
  await settled(doctor);
  await doctor.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  const queue = doctor.getByRole("region", { name: "Today's queue" });

  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await registerPatient(page, "Lina", "Liveupdate");
  await page.getByRole("link", { name: "Check in" }).click();
  await page.getByLabel("Department").selectOption({ label: "General Medicine" });
  await page.getByRole("button", { name: "Check in" }).click();
  await expect(page).toHaveURL(/\/slip$/);
  const checkedIn = Date.now();

  const row = queue.getByRole("row").filter({ hasText: "Lina Liveupdate" });
  await expect(row).toBeVisible({ timeout: 5_000 });
  const seenAfter = Date.now() - checkedIn;
  testInfo.annotations.push({ type: "live update", description: `${seenAfter} ms after the slip loaded` });
  expect(await doctor.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
  // The swapped-in buttons work as any form.
  await queue.getByRole("button", { name: "Call next" }).click();
  await expect(doctor.getByText(/Token \d+ called/)).toBeVisible();
  await other.close();
});
