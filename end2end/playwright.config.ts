import { defineConfig } from "@playwright/test";
import { args, executablePath } from "./chromium";

// Runs against the release build, started by Playwright on its own port with
// a database of its own (make test provides E2E_DATABASE_URL and HMS_BIN).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  browserName: "chromium" as const,
  launchOptions: { executablePath, args },
};

// A tablet in portrait, the size HMS is used at by the bedside.
const tablet = { viewport: { width: 768, height: 1024 }, hasTouch: true };

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  outputDir: "./test-results",
  use: { baseURL, ...chromium, trace: "retain-on-failure" },
  projects: [
    { name: "hydrated", use: { ...tablet, javaScriptEnabled: true } },
    // Core pages must work as plain server-rendered HTML too.
    {
      name: "no-js",
      use: { ...tablet, javaScriptEnabled: false },
      // Service workers and hydration need JavaScript.
      testIgnore: [/pwa\.spec\.ts/, /hydrated-only\.spec\.ts/],
    },
    { name: "desktop", use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: true }, testMatch: /layout\.spec\.ts/ },
  ],
  webServer: {
    command: `${process.env.HMS_BIN ?? "../target/release/hms"} serve`,
    cwd: "..",
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      DATABASE_OWNER_URL: process.env.E2E_DATABASE_OWNER_URL ?? "",
      HMS_LISTEN_ADDR: `127.0.0.1:${port}`,
      HMS_DEMO_DATA: "if-empty",
      HMS_SITE_ROOT: process.env.HMS_SITE_ROOT ?? "target/site",
      HMS_LOG: "error",
    },
  },
});
