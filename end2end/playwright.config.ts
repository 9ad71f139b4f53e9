import { defineConfig } from "@playwright/test";
import { args, executablePath } from "./chromium";
import { join } from "node:path";

// Runs against the release build, started by Playwright on its own port with
// a database of its own (make test provides E2E_DATABASE_URL and HMS_BIN).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
export const idlePort = port + 1;
// The SMTP server every test server delivers to (aiosmtpd, a real one), and
// where it keeps what it receives (read by tests/mail.ts).
export const smtpPort = port + 2;
export const maildir = "target/e2e-maildir";
// The OpenID provider for single sign-on (npm oidc-provider, a real one).
export const oidcPort = port + 3;
export const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
// The device the demo admins trust (written by tests/trusted-admins.setup.ts).
export const trustedDevice = join(__dirname, ".auth", "trusted-admins.json");
// Seals the clinics' SSO client secrets and the authenticator keys in the test servers.
export const secretKey = "5d1f8a2c7e4b9a0c3f6e1d8b2a5c7e9f0b3d6a8c1e4f7a2b5d8c0e3f6a9b1c4d";

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
    // The demo admins set up two-factor sign-in on a device they trust; every
    // other project starts on that device (tests/trusted-admins.setup.ts).
    { name: "setup", testMatch: /trusted-admins\.setup\.ts/, use: { ...tablet, javaScriptEnabled: true } },
    {
      name: "hydrated",
      use: { ...tablet, javaScriptEnabled: true, storageState: trustedDevice },
      dependencies: ["setup"],
    },
    // Core pages must work as plain server-rendered HTML too.
    {
      name: "no-js",
      use: { ...tablet, javaScriptEnabled: false, storageState: trustedDevice },
      dependencies: ["setup"],
      // Service workers and hydration need JavaScript.
      testIgnore: [
        /pwa\.spec\.ts/,
        /hydrated-only\.spec\.ts/,
        /auth-idle\.spec\.ts/,
        /bundle\.spec\.ts/,
      ],
    },
    {
      name: "desktop",
      use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: true, storageState: trustedDevice },
      dependencies: ["setup"],
      testMatch: /layout\.spec\.ts/,
    },
  ],
  // The second server differs only in a 20-second staff idle timeout, for the
  // idle-warning test (auth-idle.spec.ts), which talks to it directly.
  webServer: [
    {
      command: `/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${maildir}`,
      cwd: "..",
      port: smtpPort,
      timeout: 20_000,
      reuseExistingServer: false,
    },
    {
      command:
        `node end2end/oidc/provider.mjs --port ${oidcPort}` +
        ` --redirect-uri http://127.0.0.1:${port}/sso/callback --redirect-uri http://127.0.0.1:${idlePort}/sso/callback`,
      cwd: "..",
      url: `${oidcIssuer}/.well-known/openid-configuration`,
      timeout: 20_000,
      reuseExistingServer: false,
      stdout: "ignore" as const,
      stderr: "ignore" as const,
    },
    server(port, {}),
    server(idlePort, { HMS_STAFF_IDLE_TIMEOUT_SECS: "20" }),
  ],
});

function server(listen: number, extra: Record<string, string>) {
  return {
    command: `${process.env.HMS_BIN ?? "../target/release/hms"} serve`,
    cwd: "..",
    url: `http://127.0.0.1:${listen}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      DATABASE_OWNER_URL: process.env.E2E_DATABASE_OWNER_URL ?? "",
      HMS_LISTEN_ADDR: `127.0.0.1:${listen}`,
      HMS_DEMO_DATA: "if-empty",
      HMS_SITE_ROOT: process.env.HMS_SITE_ROOT ?? "target/site",
      HMS_LOG: "error",
      HMS_BASE_URL: `http://127.0.0.1:${listen}`,
      HMS_MAIL_TRANSPORT: "smtp",
      HMS_SMTP_HOST: "127.0.0.1",
      HMS_SMTP_PORT: String(smtpPort),
      HMS_SMTP_SECURITY: "none",
      HMS_MAIL_FROM: "HMS <no-reply@hms.example>",
      HMS_SECRET_KEY: secretKey,
      // Every test signs in from 127.0.0.1; the limits are tested in tests/it/auth/sign_in.rs.
      HMS_SIGN_IN_ATTEMPTS_PER_ADDRESS: "100000",
      HMS_SIGN_IN_ATTEMPTS_PER_ACCOUNT: "100000",
      HMS_LOCKOUT_AFTER_FAILURES: "100",
      ...extra,
    },
  };
}
