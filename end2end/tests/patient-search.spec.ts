import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { searchPatients, seriousAxeViolations } from "./helpers";

// Issue 14, finding 8: names never reach the address bar, browser history,
// a proxy's log or a referrer; the search works with and without JavaScript.
test("a receptionist's search keeps the name out of the address", async ({ page }) => {
  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await searchPatients(page, "/c/riverside/reception", "Oliver Grant");
  expect(page.url().toLowerCase()).not.toContain("grant");
  await expect(page.getByRole("link", { name: "Oliver Grant" })).toBeVisible();
  await expect(page.getByLabel("Search patients")).toHaveValue("Oliver Grant");
  expect(await seriousAxeViolations(page)).toEqual([]);

  // Opening a record sends no name in the referrer either.
  const referrers: string[] = [];
  page.on("request", (r) => referrers.push(r.headers()["referer"] ?? ""));
  await page.getByRole("link", { name: "Oliver Grant" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Oliver Grant" })).toBeVisible();
  expect(referrers.filter((r) => r.toLowerCase().includes("grant"))).toEqual([]);

  // Back returns to the same results.
  await page.goBack();
  await expect(page.getByRole("link", { name: "Oliver Grant" })).toBeVisible();
});
