import { expect, test } from "@playwright/test";
import { searchPatients, seriousAxeViolations, signOutThroughMenu } from "./helpers";
import { PASSWORD, navLabels, signIn } from "./auth-helpers";

const accounts: [string, RegExp, string, string[]][] = [
  ["admin@riverside.example", /\/c\/riverside\/admin$/, "Clinic administration", ["Dashboard", "Patients", "Appointments", "Schedule", "Invitations", "Queue displays", "Single sign-on", "Audit log"]],
  ["doctor@riverside.example", /\/c\/riverside\/doctor$/, "Doctor's dashboard", ["Dashboard", "Patients", "Appointments", "Schedule"]],
  ["hod@riverside.example", /\/c\/riverside\/doctor$/, "Head of department", ["Dashboard", "Patients", "Appointments", "Schedule"]],
  ["reception@riverside.example", /\/c\/riverside\/reception$/, "Front desk", ["Dashboard", "Register patient", "Appointments", "Follow-ups"]],
  ["lab@riverside.example", /\/c\/riverside\/lab$/, "Laboratory dashboard", ["Dashboard"]],
  ["nurse@riverside.example", /\/c\/riverside\/nurse$/, "Nursing dashboard", ["Dashboard", "Patients", "Appointments"]],
  ["patient@riverside.example", /\/c\/riverside\/my-records$/, "Oliver Grant", ["My records", "My appointments"]],
  ["admin@hilltop.example", /\/c\/hilltop\/admin$/, "Clinic administration", ["Dashboard", "Patients", "Appointments", "Schedule", "Invitations", "Queue displays", "Single sign-on", "Audit log"]],
  ["doctor@hilltop.example", /\/c\/hilltop\/doctor$/, "Doctor's dashboard", ["Dashboard", "Patients", "Appointments", "Schedule"]],
  ["reception@hilltop.example", /\/c\/hilltop\/reception$/, "Front desk", ["Dashboard", "Register patient", "Appointments", "Follow-ups"]],
  ["lab@hilltop.example", /\/c\/hilltop\/lab$/, "Laboratory dashboard", ["Dashboard"]],
  ["nurse@hilltop.example", /\/c\/hilltop\/nurse$/, "Nursing dashboard", ["Dashboard", "Patients", "Appointments"]],
  ["hod@hilltop.example", /\/c\/hilltop\/doctor$/, "Head of department", ["Dashboard", "Patients", "Appointments", "Schedule"]],
  ["patient@hilltop.example", /\/c\/hilltop\/my-records$/, "Kavya Reddy", ["My records", "My appointments"]],
  ["platform@hms.example", /\/platform$/, "Platform overview", ["Dashboard", "Audit log", "Registrations", "Outbox", "Jobs"]],
];

for (const [email, landing, heading, nav] of accounts) {
  test(`${email} lands on their dashboard with their navigation only`, async ({ page }) => {
    await signIn(page, email, landing);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    expect(await navLabels(page)).toEqual(nav);
  });
}

test("a wrong password gets the one generic message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("doctor@riverside.example");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("That email and password do not match an active account.");
  // Without JavaScript too, the refusal stays out of the address.
  expect(page.url()).not.toMatch(/__err|__path/);
  await page.goto("/c/riverside/doctor");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("the sign-in page is accessible", async ({ page }) => {
  await page.goto("/login");
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("a signed-out visitor is sent to sign in and back to the page asked for", async ({ page }) => {
  await page.goto("/c/riverside/patients?page=2");
  await expect(page).toHaveURL(/\/login\?next=%2Fc%2Friverside%2Fpatients%3Fpage%3D2/);
  await page.getByLabel("Email").fill("doctor@riverside.example");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\?page=2$/);
  await expect(page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
});

test("a riverside doctor typing a hilltop patient's address gets 404", async ({ browser, page }) => {
  // Find a real hilltop patient as hilltop's receptionist.
  const desk = await browser.newPage();
  await signIn(desk, "reception@hilltop.example", /\/c\/hilltop\/reception$/);
  await desk.getByRole("link", { name: "Kavya Reddy" }).click();
  await expect(desk).toHaveURL(/\/c\/hilltop\/patients\/[0-9a-f-]{36}$/);
  const hilltopRecord = new URL(desk.url()).pathname;
  await desk.close();

  await signIn(page, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  for (const path of [hilltopRecord, hilltopRecord.replace("/c/hilltop/", "/c/riverside/")]) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText("Kavya")).toHaveCount(0);
  }
});

test("a doctor opens a patient's record from search and sees it on the dashboard", async ({ page }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await searchPatients(page, "/c/riverside/patients", "Grant");
  await page.getByRole("link", { name: "Oliver Grant" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Oliver Grant" })).toBeVisible();
  await page.goto("/c/riverside/nurse");
  await expect(page.getByRole("list", { name: "Recently viewed patients" })).toContainText("Oliver Grant");
});

test("sign-out ends the session and Back shows nothing private", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await expect(page.getByRole("heading", { name: "Staff directory" })).toBeVisible();
  await signOutThroughMenu(page);
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await expect(page.getByText("You have signed out.")).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Staff directory" })).toHaveCount(0);
  await page.goto("/c/riverside/admin");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("the clinic admin filters the audit log", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.goto("/c/riverside/audit");
  await page.getByLabel("Action").selectOption("VIEW");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=VIEW/);
  await expect(page.getByRole("table", { name: "Audit events" }).or(page.getByText("No audit events match."))).toBeVisible();
  await page.goto("/c/riverside/audit?from=yesterday");
  await expect(page.getByText("Enter a date like 2026-11-21.")).toBeVisible();
});

test("unknown clinic slugs are 404 for signed-in people", async ({ page }) => {
  await signIn(page, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  const res = await page.goto("/c/no-such-clinic/doctor");
  expect(res?.status()).toBe(404);
});
