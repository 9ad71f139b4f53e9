import { APIRequestContext, Page, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { seriousAxeViolations, settled } from "./helpers";

// Signing a device in to the API (RFC 8628): the device asks for codes and
// polls; its person types the short code at /device in a browser where they
// are signed in, checks the device, and allows or denies it.

async function askForCodes(request: APIRequestContext, name: string) {
  const res = await request.post("/api/v1/auth/device", { data: { client_name: name } });
  expect(res.status()).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string; verification_uri_complete: string };
}

function poll(request: APIRequestContext, deviceCode: string) {
  return request.post("/api/v1/auth/device/token", { data: { device_code: deviceCode } });
}

async function typeCode(page: Page, code: string) {
  await page.goto("/device");
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in a device" })).toBeVisible();
  await page.getByLabel("Code shown on the device").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a nurse allows a ward tablet, which then calls the API as her", async ({ page, request }, testInfo) => {
  const name = `Ward tablet ${testInfo.project.name}`;
  const codes = await askForCodes(request, name);
  expect((await poll(request, codes.device_code)).status()).toBe(202);

  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  // Typed as people do: lower case, without the dash.
  await typeCode(page, codes.user_code.replace("-", "").toLowerCase());
  await expect(page.getByRole("heading", { name: `Allow “${name}”?` })).toBeVisible();
  await expect(page.getByText(codes.user_code)).toBeVisible();
  for (const width of [768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousAxeViolations(page)).toEqual([]);
  }
  await settled(page);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("The device is signed in as you.")).toBeVisible();

  const granted = await poll(request, codes.device_code);
  expect(granted.status()).toBe(200);
  const { access_token } = await granted.json();
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${access_token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).data.email).toBe("nurse@riverside.example");
  // The device code works once.
  expect((await poll(request, codes.device_code)).status()).toBe(401);
});

test("a doctor denies a device they do not know, and a wrong code is said by the field", async ({ page, request }) => {
  await signIn(page, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  await typeCode(page, "BCDF-GHJ");
  const field = page.getByLabel("Code shown on the device");
  await expect(page.getByText("Enter the 8-letter code your device shows")).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  for (const width of [768, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  const codes = await askForCodes(request, "Unknown kiosk");
  // The link a device shows (or its QR code) fills the code in.
  await page.goto(new URL(codes.verification_uri_complete).pathname + new URL(codes.verification_uri_complete).search);
  await settled(page);
  await expect(page.getByRole("heading", { name: "Allow “Unknown kiosk”?" })).toBeVisible();
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByText("The device was refused. Nothing was signed in.")).toBeVisible();
  const refused = await poll(request, codes.device_code);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).message).toContain("declined");
});
