import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

test("a doctor makes a private calendar link, subscribes with it and revokes it", async ({ page }, testInfo) => {
  // A doctor of each project's own: a new link replaces the doctor's last.
  const doctor = testInfo.project.name === "no-js" ? "cardio2@riverside.example" : "gp2@riverside.example";
  await signIn(page, doctor, /\/c\/riverside\/doctor$/);
  await page.goto("/c/riverside/schedule");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Your calendar feed" }) });
  await expect(card).toContainText("never the patient");
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);

  await card.getByRole("button", { name: /^Make (calendar link|a new link)$/ }).click();
  const shown = card.getByRole("link", { name: /\/calendar\/feed\.ics\?key=[0-9a-f]{64}$/ });
  await expect(shown).toBeVisible();
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  const link = new URL((await shown.getAttribute("href"))!);
  const address = `${link.pathname}${link.search}`;

  // What a calendar app reads, with no session at all.
  const feed = await page.request.get(address, { headers: { cookie: "" } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect(await feed.text()).toContain("X-WR-CALNAME:HMS: appointments at Riverside General Hospital");

  // Shown once: on the next read the page says only that a link is active.
  await page.reload();
  await expect(card).toContainText(/A link is active, made /);
  await expect(shown).toHaveCount(0);

  await card.getByRole("button", { name: "Revoke link" }).click();
  await expect(card).toContainText("You have no calendar link.");
  expect((await page.request.get(address, { headers: { cookie: "" } })).status()).toBe(404);
  expect(await axe.check()).toEqual([]);
  await axe.close();
});
