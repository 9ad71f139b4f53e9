import { execFileSync } from "node:child_process";
import { Page, expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Serious and critical WCAG 2.1 A/AA violations on the current page.
 *
 * axe needs a script engine. With JavaScript off, the same server-rendered
 * page is checked in a context with scripts on but the app bundle blocked,
 * so it never hydrates and axe sees exactly what a no-JS browser gets.
 */
export async function seriousAxeViolations(page: Page) {
  if (test.info().project.use.javaScriptEnabled !== false) return runAxe(await loaded(page));
  const browser = page.context().browser()!;
  // Playwright applies the project options to new contexts; turn scripts back
  // on, and bring the page's cookies, so a signed-in page is checked signed in.
  const context = await browser.newContext({
    viewport: page.viewportSize(),
    javaScriptEnabled: true,
    storageState: await page.context().storageState(),
  });
  try {
    await context.route(/\/(pkg\/.*\.(js|wasm)|sw\.js)$/, (route) => route.abort());
    const plain = await context.newPage();
    await plain.goto(page.url());
    return await runAxe(plain);
  } finally {
    await context.close();
  }
}

/**
 * For a test that checks many pages: an axe check of whatever `page` shows,
 * which without JavaScript keeps one script-enabled, bundle-blocked context
 * (with `page`'s cookies as they are now) for all its checks, rather than
 * opening one per check. Close it at the end of the test.
 */
export async function axeChecker(page: Page) {
  if (test.info().project.use.javaScriptEnabled !== false) {
    return { check: async () => runAxe(await loaded(page)), close: async () => {} };
  }
  const context = await page.context().browser()!.newContext({
    viewport: page.viewportSize(),
    javaScriptEnabled: true,
    storageState: await page.context().storageState(),
  });
  await context.route(/\/(pkg\/.*\.(js|wasm)|sw\.js)$/, (route) => route.abort());
  const plain = await context.newPage();
  return {
    check: async () => {
      await plain.setViewportSize(page.viewportSize()!);
      await plain.goto(page.url());
      return runAxe(plain);
    },
    close: () => context.close(),
  };
}

/**
 * `page` once its document has finished streaming and, if it is the app's,
 * hydrated: a page just loaded by a form's post can still be streaming in
 * its later parts, and axe would judge the half-built page.
 */
async function loaded(page: Page) {
  await page.waitForFunction(
    () =>
      document.readyState === "complete" &&
      (document.documentElement.hasAttribute("data-hydrated") ||
        !document.querySelector('link[rel="modulepreload"][href*="/pkg/"]')),
  );
  return page;
}

async function runAxe(page: Page) {
  // Injected through the DevTools protocol, so the page's CSP does not apply.
  const session = await page.context().newCDPSession(page);
  await session.send("Runtime.evaluate", { expression: axeSource });
  const { result } = await session.send("Runtime.evaluate", {
    expression: `axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })
      .then(r => JSON.stringify(r.violations.filter(v => ["serious", "critical"].includes(v.impact))
      .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")) }))))`,
    awaitPromise: true,
    returnByValue: true,
  });
  await session.detach();
  return JSON.parse(result.value as string);
}

/**
 * Loads `path` until the service worker controls the page, as on a tablet
 * that has used HMS before: the worker takes over from the next load on.
 */
export async function underTheWorker(page: Page, path: string) {
  await page.goto(path);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** Waits until the WASM bundle has hydrated the page (no-op without JavaScript). */
export async function settled(page: Page) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

/**
 * Searches patients with the search form on `path` (the front desk or
 * Patients), as a person would, and waits for the results: their address
 * carries an opaque handle, never the words typed.
 */
export async function searchPatients(page: Page, path: string, words: string) {
  await page.goto(path);
  await settled(page);
  await page.getByLabel("Search patients").fill(words);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?s=[0-9a-f]{32}$`));
}

/** Opens the account menu in the header (the person's initials). */
export async function openAccountMenu(page: Page) {
  await page.locator("header summary", { hasText: "Account menu for" }).click();
  const open = page.locator("header details[open]", { has: page.locator("summary", { hasText: "Account menu for" }) });
  await expect(open).toHaveCount(1);
}

/** Signs out through the account menu. */
export async function signOutThroughMenu(page: Page) {
  await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
}

/** Runs `sql` as the database owner (psql, variables as `:'name'`), for what a test must set up past the app's rules; its output, trimmed. */
export function ownerPsql(sql: string, vars: Record<string, string> = {}) {
  const url = process.env.E2E_DATABASE_OWNER_URL;
  if (!url) throw new Error("E2E_DATABASE_OWNER_URL is not set: run `make test`");
  const args = ["-qAtX", "-v", "ON_ERROR_STOP=1"];
  for (const [k, v] of Object.entries(vars)) args.push("-v", `${k}=${v}`);
  return execFileSync("psql", [...args, url], { input: sql }).toString().trim();
}

/** The `n`th Monday to Friday after today (the demo doctors' hours), as a form sends it. */
export function nextWeekday(n = 1) {
  const d = new Date();
  for (let left = n; left > 0; ) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}
