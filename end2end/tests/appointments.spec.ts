import { Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, nextWeekday, settled } from "./helpers";
import { emailTo } from "./mail";

/**
 * Each project books in a department of its own: the projects share one
 * database and run at once, and both take the first free time.
 */
function place(testInfo: TestInfo) {
  return testInfo.project.name === "no-js"
    ? { department: "Cardiology", family: "Bookingnojs" }
    : { department: "Paediatrics", family: "Bookinghydrated" };
}

async function registerPatient(page: Page, given: string, family: string, email = "") {
  await page.goto("/c/riverside/patients/new");
  await settled(page);
  await page.getByLabel("Given name").fill(given);
  await page.getByLabel("Family name").fill(family);
  if (email) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Date of birth").fill("1984-03-12");
  await page.getByLabel("Sex").selectOption("female");
  await page.getByLabel("ID type").selectOption("none");
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${given} ${family}` })).toBeVisible();
}

test("reception books a free time for a patient, finds it on the day, moves it and cancels it with a reason", async ({ page }, testInfo) => {
  const { department, family } = place(testInfo);
  const email = `mira.${family.toLowerCase()}.${Date.now()}@mail.example`;
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await registerPatient(page, "Mira", family, email);

  await page.getByRole("link", { name: "Book appointment" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/new\?patient=[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Book appointment" })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);

  const day = nextWeekday();
  await page.getByLabel("Department").selectOption({ label: department });
  await page.getByLabel("Day").fill(day);
  await page.getByRole("button", { name: "Show free times" }).click();
  const times = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Free times on / }) });
  await expect(times).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // No time chosen: refused beside the times, nothing booked.
  for (const radio of await times.getByRole("radio").all()) {
    await radio.evaluate((el: HTMLInputElement) => el.removeAttribute("required"));
  }
  await page.getByLabel("Reason").fill("Palpitations on exertion");
  await page.getByRole("button", { name: "Book appointment" }).click();
  await expect(page.getByText("Choose one of the free times.")).toBeVisible();

  const first = times.getByRole("radio").first();
  const clock = (await times.locator("label").first().locator("span span").first().textContent())!.trim();
  await first.check();
  await page.getByLabel("Reason").fill("Palpitations on exertion");
  await page.getByLabel("Type").selectOption("follow_up");
  await page.getByRole("button", { name: "Book appointment" }).click();

  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Appointment" })).toBeVisible();
  await expect(page.getByText("Booked", { exact: true })).toBeVisible();
  await expect(page.getByText("Palpitations on exertion")).toBeVisible();
  await expect(page.getByText("Follow-up", { exact: true })).toBeVisible();
  await settled(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // The day's list holds it, at its time, with its department.
  await page.getByRole("link", { name: "The day's appointments" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/riverside/appointments\\?day=${day}$`));
  const row = page.getByRole("table", { name: "Appointments of the day" }).getByRole("row").filter({ hasText: `Mira ${family}` });
  await expect(row).toContainText(clock);
  await expect(row).toContainText(department);
  await expect(row).toContainText("Booked");
  await settled(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  // Filtering by another department leaves it out.
  await page.getByLabel("Department").selectOption({ label: department === "Cardiology" ? "Paediatrics" : "Cardiology" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("row").filter({ hasText: `Mira ${family}` })).toHaveCount(0);
  await page.getByLabel("Department").selectOption({ label: department });
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("link", { name: `Open the appointment of Mira ${family} at ${clock}` }).click();

  // The patient was sent the booking with a calendar file.
  expect(await emailTo(email, "Your appointment at")).toContain('filename="appointment.ics"');

  // Moved to another of the doctor's free times on the same day.
  await expect(page.getByRole("heading", { level: 1, name: "Appointment" })).toBeVisible();
  await page.getByRole("link", { name: "Reschedule" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/[0-9a-f-]{36}\/reschedule$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reschedule appointment" })).toBeVisible();
  await expect(page.getByText(`Booked now for`)).toContainText(clock);
  await settled(page);
  const moveTimes = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Free times on / }) });
  await expect(moveTimes).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  // No time chosen: refused beside the times, nothing moved.
  for (const radio of await moveTimes.getByRole("radio").all()) {
    await radio.evaluate((el: HTMLInputElement) => el.removeAttribute("required"));
  }
  await page.getByRole("button", { name: "Move appointment" }).click();
  await expect(page.getByText("Choose one of the free times.")).toBeVisible();
  const newClock = (await moveTimes.locator("label").last().locator("span span").first().textContent())!.trim();
  expect(newClock).not.toEqual(clock);
  await moveTimes.getByRole("radio").last().check();
  await page.getByRole("button", { name: "Move appointment" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/[0-9a-f-]{36}\?moved=1$/);
  await expect(page.getByText("Appointment moved. The patient is emailed the new time.")).toBeVisible();
  await expect(page.getByText(new RegExp(`${newClock}:00 \\(`))).toBeVisible();
  expect(await emailTo(email, "has moved to")).toContain('filename="appointment.ics"');

  // A cancel needs its reason.
  await expect(page.getByRole("heading", { level: 1, name: "Appointment" })).toBeVisible();
  await settled(page);
  await page.getByLabel("Reason for cancelling").evaluate((el: HTMLTextAreaElement) => el.removeAttribute("required"));
  await page.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(page.getByText("Say why the appointment is cancelled.")).toBeVisible();
  await page.getByLabel("Reason for cancelling").fill("Patient is travelling");
  await page.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(page.getByText("Patient is travelling")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel appointment" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Reschedule" })).toHaveCount(0);
  expect(await emailTo(email, "is cancelled")).toContain('filename="appointment.ics"');
  expect(await axe.check()).toEqual([]);
  await axe.close();
});

test("reception books a free time from the day's calendar, finding the patient on the way", async ({ page }, testInfo) => {
  const { department } = place(testInfo);
  const family = testInfo.project.name === "no-js" ? "Calendarnojs" : "Calendarhydrated";
  const day = nextWeekday(testInfo.project.name === "no-js" ? 9 : 8);
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await registerPatient(page, "Noor", family);

  // The calendar, on the day and department the patient asks for: its free times.
  await page.goto("/c/riverside/appointments");
  await settled(page);
  await expect(page.getByText("Choose a department (and a doctor, if the patient asks for one)")).toBeVisible();
  await page.getByLabel("Day", { exact: true }).fill(day);
  await page.getByLabel("Department").selectOption({ label: department });
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`day=${day}`));
  const free = page.locator("section").filter({ has: page.getByRole("heading", { name: "Free times" }) });
  const first = free.getByRole("link", { name: /^Book \d\d:\d\d/ }).first();
  await expect(first).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  for (const size of [{ width: 1280, height: 800 }, { width: 768, height: 1024 }]) {
    await page.setViewportSize(size);
    expect(await axe.check()).toEqual([]);
  }
  const clock = (await first.locator("span").first().innerText()).replace("Book", "").trim();
  await first.click();
  await expect(page).toHaveURL(new RegExp(`/c/riverside/appointments/new\\?department=[0-9a-f-]{36}&day=${day}&at=`));
  await expect(page.getByText("Who is the appointment for?")).toBeVisible();
  await settled(page);
  expect(await axe.check()).toEqual([]);

  // Too short a search is refused by the box; a full name finds her.
  await page.getByLabel("Search patients").fill("N");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(/at least/i)).toBeVisible();
  await page.getByLabel("Search patients").fill(`Noor ${family}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/riverside/appointments/new\\?s=[0-9a-f]{32}&department=[0-9a-f-]{36}&day=${day}&at=`));
  expect(page.url()).not.toContain(family);
  await page.getByRole("link", { name: `Noor ${family}` }).click();

  // Her booking: that day, that department, the time picked already chosen.
  await expect(page).toHaveURL(new RegExp(`/c/riverside/appointments/new\\?patient=[0-9a-f-]{36}&department=[0-9a-f-]{36}&day=${day}&at=`));
  const times = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Free times on / }) });
  await expect(times).toBeVisible();
  const picked = times.locator("label").filter({ has: page.locator("input:checked") });
  await expect(picked).toHaveCount(1);
  await expect(picked).toContainText(clock);
  await settled(page);
  expect(await axe.check()).toEqual([]);
  await page.getByLabel("Reason").fill("Annual review");
  await page.getByRole("button", { name: "Book appointment" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/appointments\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Booked", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "The day's appointments" }).click();
  const row = page.getByRole("table", { name: "Appointments of the day" }).getByRole("row").filter({ hasText: `Noor ${family}` });
  await expect(row).toContainText(clock);
  await expect(row).toContainText(department);
  await axe.close();
});

test("a patient books a time in the portal and cancels it with a reason", async ({ page }, testInfo) => {
  // General Medicine, a day of each project's own: the same patient books in both.
  const day = nextWeekday(testInfo.project.name === "no-js" ? 3 : 2);
  const reason = `Persistent cough (${testInfo.project.name})`;
  await signIn(page, "patient@riverside.example", /\/c\/riverside\/my-records$/);
  await page.goto("/c/riverside/my-appointments");
  await expect(page.getByRole("heading", { level: 1, name: "My appointments" })).toBeVisible();
  await expect(page.getByText(/You can cancel online up to 2 hours before/)).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);

  await page.getByRole("link", { name: "Book appointment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Book appointment" })).toBeVisible();
  await settled(page);
  await page.getByLabel("Department").selectOption({ label: "General Medicine" });
  await page.getByLabel("Day").fill(day);
  await page.getByRole("button", { name: "Show free times" }).click();
  const times = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Free times on / }) });
  await expect(times).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  // The patient chooses no type: only the time and the reason.
  await expect(page.getByLabel("Type")).toHaveCount(0);
  await times.getByRole("radio").first().check();
  await page.getByLabel("Reason").fill(reason);
  await page.getByRole("button", { name: "Book appointment" }).click();

  await expect(page).toHaveURL(/\/c\/riverside\/my-appointments\?booked=1$/);
  await expect(page.getByText("Your appointment is booked.")).toBeVisible();
  const coming = page.locator("section").filter({ has: page.getByRole("heading", { name: "Coming up" }) });
  await expect(coming).toContainText(reason);
  await expect(coming).toContainText("General Medicine");
  expect(await axe.check()).toEqual([]);

  await coming.getByRole("listitem").filter({ hasText: reason }).getByRole("link", { name: /^Details or cancel: appointment on / }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Appointment" })).toBeVisible();
  await settled(page);
  expect(await axe.check()).toEqual([]);
  await page.getByLabel("Reason for cancelling").fill("Feeling better");
  await page.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/my-appointments\?cancelled=1$/);
  await expect(page.getByText("Your appointment is cancelled.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Past appointments" })).toContainText("Cancelled");
  await expect(page.locator("section").filter({ has: page.getByRole("heading", { name: "Coming up" }) })).not.toContainText(reason);
  expect(await axe.check()).toEqual([]);
  await axe.close();
});
