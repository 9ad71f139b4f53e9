import { Page, expect } from "@playwright/test";
import { createHmac } from "node:crypto";

/** The 30-second step of now (RFC 6238). */
export function currentStep(): number {
  return Math.floor(Date.now() / 1000 / 30);
}

/** The six-digit code an authenticator app shows for `keyText` (base 32, as the set-up page shows it) at `step`. */
export function totpCode(keyText: string, step = currentStep()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of keyText.replace(/\s+/g, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/**
 * On the set-up page: reads the key shown for typing in by hand, enters the
 * code an app would show, and returns the key and the step it used.
 */
export async function setUpAuthenticator(page: Page, trust = false) {
  const keyText = (await page.getByLabel("Authenticator key").textContent())!.trim();
  expect(keyText).toMatch(/^[A-Z2-7 ]{32,40}$/);
  const step = currentStep();
  await page.getByLabel("Code from the app").fill(totpCode(keyText, step));
  if (trust) await page.getByLabel("Don't ask again on this device for 30 days").check();
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your recovery codes" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Your recovery codes" }).getByRole("listitem")).toHaveCount(10);
  return { keyText, step };
}
