import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

/** A run that failed every attempt, as the runner leaves one. */
function failedRun(error: string) {
  const url = process.env.E2E_DATABASE_OWNER_URL;
  if (!url) throw new Error("E2E_DATABASE_OWNER_URL is not set: run `make test`");
  execFileSync("psql", ["-qAtX", "-v", "ON_ERROR_STOP=1", "-v", `error=${error}`, url], {
    input: `insert into job_runs (job, slot, status, attempts, finished_at, last_error)
     values ('no_show_sweep', now() - random() * interval '300 days', 'failed', 5, now(), :'error');`,
  });
}

test("a platform admin sees the jobs' runs and finds a failure with its error", async ({ page }, testInfo) => {
  const error = `the database went away (${testInfo.project.name} ${Date.now()})`;
  failedRun(error);
  await signIn(page, "platform@hms.example", /\/platform$/);
  await page.goto("/platform/jobs");
  await expect(page.getByRole("heading", { level: 1, name: "Jobs" })).toBeVisible();
  // The server ran its jobs when it started: their runs are listed.
  const runs = page.getByRole("table", { name: "Job runs" });
  for (const job of ["No-show sweep", "Appointment reminders"]) {
    await expect(runs.getByRole("row").filter({ hasText: job }).filter({ hasText: "Succeeded" }).first()).toBeVisible();
  }
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });

  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/\/platform\/jobs\?status=failed/);
  const row = page.getByRole("row").filter({ hasText: error });
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("5");
  await expect(page.getByRole("row").filter({ hasText: "Succeeded" })).toHaveCount(0);
  expect(await axe.check()).toEqual([]);
  await axe.close();
});

test("an unknown status in the jobs filter is explained next to the field", async ({ page }) => {
  await signIn(page, "platform@hms.example", /\/platform$/);
  const res = await page.goto("/platform/jobs?status=exploded");
  expect(res?.status()).toBe(422);
  await expect(page.getByText("Choose a status from the list.")).toBeVisible();
});

test("clinic staff cannot open the jobs page", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  const res = await page.goto("/platform/jobs");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("table")).toHaveCount(0);
});
