import { expect, test as setup } from "@playwright/test";
import { trustedDevice } from "../playwright.config";
import { PASSWORD } from "./auth-helpers";
import { setUpAuthenticator } from "./totp";

// Admins must sign in with a second factor. Each demo admin sets up an
// authenticator once, through the real pages, on a device they then trust:
// the other tests start from that device's cookie and sign admins in with
// their password, as an admin on their own laptop does. two-factor.spec.ts
// tests the code step itself.

const admins: [string, RegExp][] = [
  ["platform@hms.example", /\/platform$/],
  ["admin@riverside.example", /\/c\/riverside\/admin$/],
  ["admin@hilltop.example", /\/c\/hilltop\/admin$/],
];

setup("demo admins set up their authenticators on a trusted device", async ({ page }) => {
  for (const [email, landing] of admins) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Set up two-factor sign-in" })).toBeVisible();
    await setUpAuthenticator(page, true);
    await page.getByRole("link", { name: "I have saved them — continue" }).click();
    await expect(page).toHaveURL(landing);
    await page.context().clearCookies({ name: /session/ });
  }
  await page.context().storageState({ path: trustedDevice });
});
