import { Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

/** Letters only (names refuse digits), different for each project sharing the database. */
function tag(testInfo: TestInfo) {
  const word = testInfo.project.name.replace(/[^a-z]/g, "");
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A valid Aadhaar number and a phone of each project's own: they are duplicate keys. */
function documents(testInfo: TestInfo) {
  return testInfo.project.name === "no-js"
    ? { aadhaar: "9876 5432 1012", last4: "1012", phone: "+91 98450 22222" }
    : { aadhaar: "2345 6789 0124", last4: "0124", phone: "+91 98450 11111" };
}

async function fillPatient(page: Page, given: string, family: string, born: string) {
  await page.getByLabel("Given name").fill(given);
  await page.getByLabel("Family name").fill(family);
  await page.getByLabel("Date of birth").fill(born);
  await page.getByLabel("Sex").selectOption("female");
  await page.getByLabel("ID type").selectOption("none");
}

test("reception registers a patient, corrects a refused form, and decides on a possible duplicate", async ({ page }, testInfo) => {
  const family = `Iyer${tag(testInfo)}`;
  const doc = documents(testInfo);
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await page.getByRole("main").getByRole("link", { name: "Register patient" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "Register patient" })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  // A date of birth in the future is refused beside its field; what was typed stays.
  await fillPatient(page, "Meera", family, "2999-01-01");
  await page.getByLabel("Phone", { exact: true }).fill(doc.phone);
  await page.getByLabel("ID type").selectOption("aadhaar");
  await page.getByLabel("ID number").fill(doc.aadhaar);
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page.getByText("The date of birth cannot be in the future.")).toBeVisible();
  await expect(page.getByLabel("Date of birth")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Given name")).toHaveValue("Meera");
  await expect(page.getByLabel("ID number")).toHaveValue(doc.aadhaar);
  expect(await axe.check()).toEqual([]);

  await page.getByLabel("Date of birth").fill("1986-04-12");
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\?registered=1$/);
  await expect(page.getByRole("heading", { level: 1, name: `Meera ${family}` })).toBeVisible();
  await expect(page.getByText(/Registered\. The patient number is PT-\d{4}-\d{5}\./)).toBeVisible();
  // The document is shown by its last four only.
  await expect(page.getByText(`Aadhaar •••• ${doc.last4}`)).toBeVisible();
  await expect(page.getByText(doc.aadhaar.replace(/ /g, ""))).toHaveCount(0);
  expect(await axe.check()).toEqual([]);
  const first = page.url().replace(/\?registered=1$/, "");
  const number = (await page.getByText(/The patient number is PT-/).textContent())!.match(/PT-\d{4}-\d{5}/)![0];

  // The printable label: name, number and its QR code.
  await page.getByRole("link", { name: "Print label" }).click();
  const label = page.getByRole("region", { name: "Patient label" });
  await expect(label).toContainText(`Meera ${family}`);
  await expect(label).toContainText(number);
  await expect(label.getByRole("img", { name: `QR code of patient number ${number}` })).toBeVisible();
  expect(await axe.check()).toEqual([]);

  // Someone with the same family name and birth, and a similar given name.
  await page.goto("/c/riverside/patients/new");
  await settled(page);
  await fillPatient(page, "Mira", family, "1986-04-12");
  await page.getByRole("button", { name: "Register patient" }).click();
  const matches = page.locator("#possible-duplicates");
  await expect(matches.getByRole("heading", { name: "Possible matches" })).toBeVisible();
  await expect(matches.getByRole("row").filter({ hasText: `Meera ${family}` })).toContainText(
    "Same family name and date of birth",
  );
  await expect(page.getByLabel("Given name")).toHaveValue("Mira");
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  await expect(matches.getByRole("link", { name: `Use this record: Meera ${family}` })).toHaveAttribute(
    "href",
    new URL(first).pathname,
  );

  await matches.getByLabel("Why this is a different person").fill("Sisters, born the same day");
  await matches.getByRole("button", { name: "Register anyway" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\?registered=1$/);
  await expect(page.getByRole("heading", { level: 1, name: `Mira ${family}` })).toBeVisible();
  await axe.close();
});

test("other roles see no registration form", async ({ page }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await page.goto("/c/riverside/patients");
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "Patients" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register patient" })).toHaveCount(0);
  await page.goto("/c/riverside/patients/new");
  await expect(page.getByText("You do not have permission")).toBeVisible();
  await expect(page.getByLabel("Given name")).toHaveCount(0);
});

test("reception corrects a record's details; a refused save keeps what was typed", async ({ page }, testInfo) => {
  const family = `Menon${tag(testInfo)}`;
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await page.goto("/c/riverside/patients/new");
  await settled(page);
  await fillPatient(page, "Kavya", family, "1979-02-03");
  await page.getByLabel("ID type").selectOption("passport");
  await page.getByLabel("ID number").fill(testInfo.project.name === "no-js" ? "K7654321" : "K1234567");
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\?registered=1$/);

  await page.getByRole("link", { name: "Edit details" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\/edit$/);
  await expect(page.getByRole("heading", { level: 1, name: `Edit details: Kavya ${family}` })).toBeVisible();
  await settled(page);
  // The one editing sees the document's number whole.
  await expect(page.getByLabel("ID number")).toHaveValue(/^K\d{7}$/);
  const axe = await axeChecker(page);
  for (const size of [{ width: 768, height: 1024 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    expect(await axe.check()).toEqual([]);
  }

  await page.getByLabel("Phone", { exact: true }).fill("ring me");
  await page.getByLabel("City").fill("Thrissur");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Use digits, spaces and + - ( ) only.")).toBeVisible();
  await expect(page.getByLabel("Phone", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("City")).toHaveValue("Thrissur");
  // The refused save came back as a new page: check it once hydrated, not
  // while the app is still taking it over.
  await settled(page);
  expect(await axe.check()).toEqual([]);

  await page.getByLabel("Phone", { exact: true }).fill("+91 98470 33333");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/patients\/[0-9a-f-]{36}\?updated=1$/);
  await expect(page.getByText("Saved. The audit trail keeps what changed")).toBeVisible();
  await expect(page.getByText("+91 98470 33333")).toBeVisible();
  await expect(page.getByText("Thrissur")).toBeVisible();
  // Elsewhere the document is masked again.
  await expect(page.getByText(/Passport •••• \d{4}/)).toBeVisible();
  await axe.close();
});

test("clinical staff open records but do not edit their details", async ({ page }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await page.goto("/c/riverside/patients");
  await settled(page);
  await page.getByRole("main").locator('a[href*="/patients/"]').first().click();
  await expect(page.getByRole("link", { name: "Print label" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit details" })).toHaveCount(0);
});
