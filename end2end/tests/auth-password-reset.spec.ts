import { expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";
import { emailTo, linkIn } from "./mail";
import { NEW_PASSWORD, acceptFromEmail, invite } from "./staff-helpers";

const RESET_SENT = "If an HMS account uses that address, we have sent it a link to choose a new password.";
const CHOSEN = "harbour violet thimble";

test("someone who forgot their password resets it from the emailed link and signs in with the new one", async ({ browser, page }, testInfo) => {
  const email = `lab-${testInfo.project.name}-${Date.now()}@riverside.example`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await invite(page, email, "Ravi Menon", "lab_technician");
  const person = await acceptFromEmail(browser, testInfo, email);
  await expect(person).toHaveURL(/\/c\/riverside\/lab$/);

  // In another browser, where they are not signed in.
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const other = await context.newPage();
  await other.goto("/login");
  await settled(other);
  await other.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(other.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  expect(await seriousAxeViolations(other)).toEqual([]);
  await settled(other);
  await other.getByLabel("Email").fill(email);
  await other.getByRole("button", { name: "Send the link" }).click();
  await expect(other.getByRole("status").filter({ hasText: RESET_SENT })).toBeVisible();

  const link = linkIn(await emailTo(email, "Reset your HMS password"), `${testInfo.project.use.baseURL}/reset-password?token=`);
  await other.goto(link);
  await settled(other);
  await other.getByLabel("New password").fill(CHOSEN);
  await other.getByLabel("Type it again").fill(CHOSEN);
  await other.getByRole("button", { name: "Save the new password" }).click();
  await expect(other).toHaveURL(/\/login\?reason=password_reset$/);
  await expect(other.getByText("Your password has been changed. Sign in with the new one.")).toBeVisible();

  // The first browser was signed out too.
  await person.goto("/c/riverside/lab");
  await expect(person).toHaveURL(/\/login\?.*reason=password_reset/);

  // The old password fails; the new one works; the link is spent.
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password").fill(NEW_PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("alert")).toContainText("do not match");
  await signIn(other, email, /\/c\/riverside\/lab$/, CHOSEN);
  await other.goto(link);
  await expect(other.getByRole("alert")).toContainText("already been used");
  await context.close();
  await person.context().close();
});

test("an unknown address gets the same answer, a malformed one a message by the field, a forged link an explanation", async ({ page }) => {
  await page.goto("/forgot-password");
  await settled(page);
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@riverside.example`);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status").filter({ hasText: RESET_SENT })).toBeVisible();
  // The browser accepts "a@b"; the server wants a domain with a dot.
  await page.getByLabel("Email").fill("a@b");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText("Enter an email address like name@example.org.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  const res = await page.goto(`/reset-password?token=${"f".repeat(64)}`);
  expect(res?.status()).toBe(409);
  await expect(page.getByRole("alert")).toContainText("not valid");
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toBeVisible();
});
