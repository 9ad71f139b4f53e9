import { test, expect } from "@playwright/test";
import { seriousAxeViolations } from "./helpers";

// The API's reference page: Swagger UI served from HMS's own files, under
// HMS's content security policy, listing what the OpenAPI document holds.
for (const width of [768, 1280]) {
  test(`the API reference lists the endpoints at ${width} px, with nothing blocked`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") blocked.push(m.text());
    });
    page.on("requestfailed", (r) => blocked.push(`${r.url()} ${r.failure()?.errorText}`));
    const res = await page.goto("/api/docs/");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: /HMS API/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /^POST \/api\/v1\/auth\/token Sign in/ })).toBeVisible();
    await expect(
      page.getByRole("button", { name: /^GET \/api\/v1\/clinics\/\{slug\}\/patients\/\{id\} Read a patient/ }),
    ).toBeVisible();
    expect(blocked).toEqual([]);
    // Swagger UI's own markup still has two kinds of serious violations
    // (its method badges' contrast; links nested in each operation's
    // toggle button), which no setting of it removes. Issue 17 replaces it
    // with a server-rendered reference page; until then this list may only
    // shrink: a new kind of violation fails here, and so does a fixed one
    // (drop it from the list).
    const kinds = (await seriousAxeViolations(page)).map((v: { id: string }) => v.id).sort();
    expect(kinds).toEqual(["color-contrast", "nested-interactive"]);
  });
}
