import { Browser, Page, TestInfo, expect } from "@playwright/test";
import { settled } from "./helpers";
import { emailTo, linkIn } from "./mail";

export const NEW_PASSWORD = "lantern orchard pebble";

/** As the signed-in clinic admin on `page`: invites `email` as `role`. */
export async function invite(page: Page, email: string, name: string, role: string) {
  await page.goto("/c/riverside/invitations");
  await settled(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Role").selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("row").filter({ hasText: email })).toBeVisible();
  // Sent: the form is empty again, ready for the next person.
  await expect(page.getByLabel("Email")).toHaveValue("");
}

/** The invited person, in a browser of their own, accepts from the email; returns their page. */
export async function acceptFromEmail(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
  const link = linkIn(await emailTo(email, "You are invited"), `${testInfo.project.use.baseURL}/invitation?token=`);
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled });
  const person = await context.newPage();
  await person.goto(link);
  await settled(person);
  await person.getByLabel("Choose a password").fill(NEW_PASSWORD);
  await person.getByLabel("Type it again").fill(NEW_PASSWORD);
  await person.getByRole("button", { name: "Accept and sign in" }).click();
  return person;
}
