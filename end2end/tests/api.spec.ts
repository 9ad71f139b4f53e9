import { test, expect } from "@playwright/test";
import { seriousAxeViolations, settled } from "./helpers";

// The API's reference page: rendered by HMS from the OpenAPI document, for
// the people who build clients. It works without JavaScript, loads nothing
// from elsewhere, and is held to the same accessibility checks as the rest.

test("a developer reads the API reference and follows its links", async ({ page }, testInfo) => {
  // Failed loads and console errors, with JavaScript on (with it off, the
  // browser reports the app's own script as blocked, which is the point).
  const blocked: string[] = [];
  if (testInfo.project.use.javaScriptEnabled !== false) {
    page.on("console", (m) => {
      if (m.type() === "error") blocked.push(m.text());
    });
    page.on("requestfailed", (r) => blocked.push(`${r.url()} ${r.failure()?.errorText}`));
  }
  const res = await page.goto("/api/docs");
  expect(res?.status()).toBe(200);
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "HMS API reference" })).toBeVisible();
  for (const width of [768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Nothing wider than the screen but the tables' own scrolling regions.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  // From the contents to an operation, and from its answer to the schema.
  const contents = page.getByRole("navigation", { name: "Contents" });
  await contents.getByRole("link", { name: "/api/v1/clinics/{slug}/patients/{id}" }).first().click();
  await expect(page).toHaveURL(/#get-api-v1-clinics-slug-patients-id$/);
  const read = page.locator("#get-api-v1-clinics-slug-patients-id");
  await expect(read.getByRole("heading", { name: "GET /api/v1/clinics/{slug}/patients/{id}" })).toBeVisible();
  await expect(read.getByText("Needs Authorization: Bearer with an access token.")).toBeVisible();
  const answers = read.getByRole("table", { name: "Answers of GET /api/v1/clinics/{slug}/patients/{id}" });
  await expect(answers.getByRole("row", { name: /^404/ })).toBeVisible();
  await answers.getByRole("link", { name: "Item_PatientDetails" }).click();
  await expect(page).toHaveURL(/#schema-Item_PatientDetails$/);
  const schema = page.locator("#schema-Item_PatientDetails");
  await expect(schema.getByRole("cell", { name: "data.patient_number (required)" })).toBeVisible();

  // A request body that refuses unknown fields says so.
  const fields = page.locator("#schema-PatientFields");
  await expect(fields.getByText("A field not listed here is refused (422), not ignored.")).toBeVisible();

  // The document itself, for tools.
  const doc = await page.request.get(
    await page.getByRole("link", { name: "download the OpenAPI document" }).getAttribute("href") ?? "",
  );
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toMatch(/^3\.1/);
  expect(blocked).toEqual([]);
});
