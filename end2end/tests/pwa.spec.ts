import { test, expect, chromium } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { args, executablePath } from "../chromium";
import { settled, underTheWorker } from "./helpers";

test("the service worker activates and the app is installable", async ({ baseURL }) => {
  // Chromium never offers to install from an incognito profile, and every
  // Playwright context is one, so this test uses a real profile.
  const profile = mkdtempSync(join(tmpdir(), "hms-pwa-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args,
    baseURL,
    viewport: { width: 768, height: 1024 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto("/");
    // `ready` resolves while the worker is still activating.
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state))
      .toBe("activated");

    const session = await context.newCDPSession(page);
    const manifest = await session.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await session.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("offline, a reload shows the offline page", async ({ page, context }) => {
  await underTheWorker(page, "/");

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await expect(page).toHaveTitle("You are offline · HMS");

  await context.setOffline(false);
  await page.getByRole("link", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Run your hospital");
});

test("the bundle is served from the worker's cache with long-lived headers", async ({ page, request }) => {
  await page.goto("/");
  // The module fetches the WASM after the load event; once hydrated, it has.
  await settled(page);
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => e.name).find((n) => n.endsWith(".wasm")),
  );
  expect(wasm).toMatch(/\/pkg\/hms\.[\w-]+\.wasm$/);
  const res = await request.get(wasm!, { headers: { "Accept-Encoding": "br" } });
  expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  // Compressed once at build time at the best level (a file beside it), not
  // on each request: such an answer has a length, a streamed one has none.
  expect(res.headers()["content-encoding"]).toBe("br");
  expect(Number(res.headers()["content-length"])).toBeGreaterThan(0);
});
