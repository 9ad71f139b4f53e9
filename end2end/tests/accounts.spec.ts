import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { openAccountMenu, seriousAxeViolations, settled } from "./helpers";
import { NEW_PASSWORD, acceptFromEmail, invite } from "./staff-helpers";

test("a person sees where they are signed in, signs the others out and changes their password", async ({ browser, page }, testInfo) => {
  const email = `account-${testInfo.project.name}-${Date.now()}@riverside.example`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await invite(page, email, "Mara Quinn", "nurse");
  const me = await acceptFromEmail(browser, testInfo, email);
  await expect(me).toHaveURL(/\/c\/riverside\/nurse$/);
  const elsewhere = await (await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled })).newPage();
  await signIn(elsewhere, email, /\/c\/riverside\/nurse$/, NEW_PASSWORD);

  await openAccountMenu(me);
  await me.getByRole("link", { name: "Your account" }).click();
  await expect(me.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await settled(me);
  const sessions = me.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: "This browser" })).toHaveCount(1);
  expect(await seriousAxeViolations(me)).toEqual([]);

  await me.getByLabel("Phone").fill("+44 7700 900555");
  await me.getByRole("button", { name: "Save details" }).click();
  await expect(me.getByRole("status").filter({ hasText: "Your details are saved." })).toBeVisible();
  await expect(me.getByLabel("Phone")).toHaveValue("+44 7700 900555");

  await me.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(me.getByRole("status").filter({ hasText: "Your other sessions are signed out." })).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await elsewhere.goto("/c/riverside/nurse");
  await expect(elsewhere).toHaveURL(/\/login/);

  // The current password is checked; the new one is then the only one.
  const chosen = "copper meadow lantern";
  await me.getByLabel("Current password").fill("not my password at all");
  await me.getByLabel("New password").fill(chosen);
  await me.getByLabel("Type the new one again").fill(chosen);
  await me.getByRole("button", { name: "Change password" }).click();
  await expect(me.getByText("That is not your current password.")).toBeVisible();
  await settled(me);
  await me.getByLabel("Current password").fill(NEW_PASSWORD);
  await me.getByLabel("New password").fill(chosen);
  await me.getByLabel("Type the new one again").fill(chosen);
  await me.getByRole("button", { name: "Change password" }).click();
  await expect(me.getByRole("status").filter({ hasText: "Your password is changed." })).toBeVisible();
  await signIn(elsewhere, email, /\/c\/riverside\/nurse$/, chosen);
  await me.context().close();
  await elsewhere.context().close();
});
