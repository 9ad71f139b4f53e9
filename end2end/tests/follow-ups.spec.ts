import { Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, nextWeekday, settled } from "./helpers";
import { trustedDevice } from "../playwright.config";

/** Each project books in a department of its own, on days of its own. */
function place(testInfo: TestInfo) {
  return testInfo.project.name === "no-js"
    ? { department: "Cardiology", family: "Followupnojs", due: nextWeekday(6) }
    : { department: "Paediatrics", family: "Followuphydrated", due: nextWeekday(7) };
}

/** Letters only (names refuse digits), different on each run. */
function tag() {
  return (Date.now() % 1e7).toString(36).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]);
}

/** The desk registers a patient; the address of their record. */
async function registerPatient(page: Page, given: string, family: string) {
  await page.goto("/c/riverside/patients/new");
  await settled(page);
  await page.getByLabel("Given name").fill(given);
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill("1979-06-02");
  await page.getByLabel("Sex").selectOption("male");
  await page.getByLabel("ID type").selectOption("none");
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${given} ${family}` })).toBeVisible();
  return new URL(page.url()).pathname;
}

async function axeAtBothWidths(page: Page, axe: Awaited<ReturnType<typeof axeChecker>>) {
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
}

test("a doctor asks for a follow-up on the record and the desk books it from its list", async ({ page, browser }, testInfo) => {
  const { department, family, due } = place(testInfo);
  const name = `Idris ${family}${tag()}`;
  const [given, surname] = name.split(" ");
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  const record = await registerPatient(page, given, surname);

  // The doctor, on another device, asks for the patient back by a day.
  const context = await browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    viewport: testInfo.project.use.viewport,
    storageState: trustedDevice,
  });
  const doctor = await context.newPage();
  await signIn(doctor, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  await doctor.goto(record);
  const card = doctor.locator("section").filter({ has: doctor.getByRole("heading", { level: 2, name: "Follow-ups" }) });
  await expect(card).toContainText("No follow-ups asked for.");
  await settled(doctor);
  const axe = await axeChecker(doctor);
  await axeAtBothWidths(doctor, axe);

  // Without a reason (the browser's own check set aside) it is refused by the field.
  await card.getByLabel("Department").selectOption({ label: department });
  await card.getByLabel("Due by").fill(due);
  await card.getByLabel("Reason").evaluate((el: HTMLTextAreaElement) => el.removeAttribute("required"));
  await card.getByRole("button", { name: "Add follow-up" }).click();
  await expect(doctor.getByText("Say why the patient should come back.")).toBeVisible();
  await axeAtBothWidths(doctor, axe);

  await card.getByLabel("Department").selectOption({ label: department });
  await card.getByLabel("Due by").fill(due);
  await card.getByLabel("Reason").fill("Review the chest X-ray with the patient");
  await card.getByRole("button", { name: "Add follow-up" }).click();
  await expect(doctor.getByText("Follow-up added.")).toBeVisible();
  await expect(card).toContainText("Review the chest X-ray with the patient");
  await expect(card).toContainText("Asked by Dr Amelia Hart");
  await axeAtBothWidths(doctor, axe);
  await axe.close();
  await context.close();

  // The desk finds it among those to book and books it.
  await page.goto("/c/riverside/follow-ups");
  await expect(page.getByRole("link", { name: "To book" })).toHaveAttribute("aria-current", "page");
  const entry = page.getByRole("listitem").filter({ hasText: name });
  await expect(entry).toContainText("Review the chest X-ray with the patient");
  await expect(entry).toContainText(`${department} · any doctor`);
  await settled(page);
  const deskAxe = await axeChecker(page);
  await axeAtBothWidths(page, deskAxe);
  await entry.getByRole("link", { name: `Book appointment for ${name}` }).click();

  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/new\?.*follow_up=[0-9a-f-]{36}/);
  await expect(page.getByText(/^Booking this follow-up\. Follow-up in /)).toBeVisible();
  await expect(page.getByLabel("Type")).toHaveValue("follow_up");
  await expect(page.getByLabel("Reason")).toHaveValue("Review the chest X-ray with the patient");
  const times = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Free times on / }) });
  await times.getByRole("radio").first().check();
  await settled(page);
  await axeAtBothWidths(page, deskAxe);
  await page.getByRole("button", { name: "Book appointment" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Follow-up", { exact: true })).toBeVisible();

  // No longer to book; among the booked, with its appointment.
  await page.goto("/c/riverside/follow-ups");
  await expect(page.getByRole("listitem").filter({ hasText: name })).toHaveCount(0);
  await page.getByRole("link", { name: "Booked", exact: true }).click();
  const booked = page.getByRole("listitem").filter({ hasText: name });
  await expect(booked).toContainText("Booked");
  await expect(booked.getByRole("link", { name: /\d{1,2} \w{3} \d{4} \d{2}:\d{2}/ })).toBeVisible();
  await settled(page);
  await axeAtBothWidths(page, deskAxe);
  // And on the record.
  await page.goto(record);
  const recordCard = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Follow-ups" }) });
  await expect(recordCard.getByRole("link", { name: /^Appointment / })).toBeVisible();
  await deskAxe.close();
});

test("the desk marks a follow-up due today missed when the patient cannot come", async ({ page }, testInfo) => {
  const { department, family } = place(testInfo);
  const name = `Noor ${family}${tag()}`;
  const [given, surname] = name.split(" ");
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await registerPatient(page, given, surname);
  const card = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Follow-ups" }) });
  await card.getByLabel("Department").selectOption({ label: department });
  // The clinic's today, as the field's earliest day says it.
  const today = (await card.getByLabel("Due by").getAttribute("min"))!;
  await card.getByLabel("Due by").fill(today);
  await card.getByLabel("Reason").fill("Dressing check, as the doctor asked");
  await card.getByRole("button", { name: "Add follow-up" }).click();
  await expect(page.getByText("Follow-up added.")).toBeVisible();
  await expect(card).toContainText("Due today");

  await page.goto("/c/riverside/follow-ups");
  const entry = page.getByRole("listitem").filter({ hasText: name });
  await expect(entry).toContainText("Due today");
  await settled(page);
  await entry.getByRole("button", { name: `Mark missed: ${name}` }).click();
  await expect(page.getByText("Marked missed.")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: name })).toHaveCount(0);
  await page.getByRole("link", { name: "Missed", exact: true }).click();
  await expect(page.getByRole("listitem").filter({ hasText: name })).toContainText("Missed");
  await settled(page);
  const axe = await axeChecker(page);
  await axeAtBothWidths(page, axe);
  await axe.close();
});
