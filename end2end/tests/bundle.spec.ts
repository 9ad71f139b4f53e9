import { Page, test, expect } from "@playwright/test";
import { settled } from "./helpers";
import { signIn } from "./auth-helpers";

// Issue 15's budget: what a tablet downloads to make a first page interactive.
// Only islands reach the browser (ARCHITECTURE.md, "Islands"), so every page
// loads the same small bundle, however many pages HMS grows.
const BUDGET_BYTES = 300 * 1024;

/** The app's scripts and WebAssembly this page downloaded, as sent (compressed). */
async function bundleBytes(page: Page) {
  const entries = await page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((e) => /\/pkg\/.*\.(js|wasm)$/.test(new URL(e.name).pathname))
      .map((e) => ({ name: new URL(e.name).pathname, bytes: e.encodedBodySize })),
  );
  return entries;
}

for (const [who, path] of [
  ["a visitor", "/"],
  ["someone signing in", "/login"],
] as const) {
  test(`the first load for ${who} stays within the WebAssembly budget`, async ({ page }) => {
    await page.goto(path);
    await settled(page);
    const files = await bundleBytes(page);
    expect(files.map((f) => f.name).some((n) => n.endsWith(".wasm"))).toBe(true);
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    // In the test log, to follow the figure between runs.
    console.log(`first load of ${path}: ${total} bytes ${JSON.stringify(files)}`);
    // Bytes on the wire; a file the browser did not fetch would count 0.
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
}

test("a signed-in page loads the same bundle, with its islands, and nothing more", async ({ page }) => {
  await page.goto("/login");
  await settled(page);
  const first = (await bundleBytes(page)).map((f) => f.name).sort();
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await settled(page);
  const later = (await bundleBytes(page)).map((f) => f.name).sort();
  expect(later).toEqual(first);
  // The idle warning is an island: its code is in that bundle and runs here.
  await expect(page.locator("leptos-island[data-component]")).not.toHaveCount(0);
});
