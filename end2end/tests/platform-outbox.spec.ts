import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";

/** A message the mail server refused for good, as the sender leaves one. */
function refusedMessage(to: string) {
  const url = process.env.E2E_DATABASE_OWNER_URL;
  if (!url) throw new Error("E2E_DATABASE_OWNER_URL is not set: run `make test`");
  // From standard input, where psql quotes the :'to' variable.
  execFileSync("psql", ["-qAtX", "-v", "ON_ERROR_STOP=1", "-v", `to=${to}`, url], {
    input: `insert into outbox_emails (idempotency_key, kind, to_address, subject, body_text, body_html,
                                status, attempts, last_error)
     values (gen_random_uuid()::text, 'invitation', :'to', 'Your invitation to Riverside', 'text', '<p>html</p>',
             'failed', 1, '552 5.2.2 Mailbox full');`,
  });
}

test("a platform admin finds a refused email and sends it again", async ({ page }, testInfo) => {
  const to = `bounced-${testInfo.project.name}-${Date.now()}@riverside.example`;
  refusedMessage(to);
  await signIn(page, "platform@hms.example", /\/platform$/);
  await page.goto("/platform/outbox");
  await settled(page);
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/platform\/outbox\?status=failed/);
  const row = page.getByRole("row").filter({ hasText: to });
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("552 5.2.2 Mailbox full");
  expect(await seriousAxeViolations(page)).toEqual([]);

  await row.getByRole("button", { name: `Send again to ${to}` }).click();
  // Back on the failed list (reloaded without JavaScript, refetched with
  // it), the message is no longer there: it is queued, and then sent.
  await expect(page.getByRole("row").filter({ hasText: to })).toHaveCount(0);
  await expect
    .poll(async () => {
      await page.goto("/platform/outbox?status=sent");
      return page.getByRole("row").filter({ hasText: to }).count();
    }, { timeout: 20_000 })
    .toBe(1);
});

test("an unknown status in the outbox filter is explained next to the field", async ({ page }) => {
  await signIn(page, "platform@hms.example", /\/platform$/);
  const res = await page.goto("/platform/outbox?status=lost");
  expect(res?.status()).toBe(422);
  await expect(page.getByText("Choose a status from the list.")).toBeVisible();
});

test("clinic staff cannot open the outbox", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  const res = await page.goto("/platform/outbox");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("table")).toHaveCount(0);
});
