import { Page, expect, test } from "@playwright/test";
import { axeChecker, settled } from "./helpers";
import { signIn } from "./auth-helpers";

// The shell on the screens HMS is used on: a tablet in portrait and in
// landscape, and a desktop. Every page of every role, hydrated and without
// JavaScript (the project decides which), at each size: the page never
// scrolls sideways, nothing in the header overlaps, axe finds nothing
// serious, and a signed-in page carries the person's navigation.
const SIZES = [
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
];

type Pages = (page: Page) => Promise<string[]>;

/** The href of the first link in the main content matching `pattern`. */
async function firstLink(page: Page, from: string, pattern: RegExp): Promise<string> {
  await page.goto(from);
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link like ${pattern} on ${from}`).toBeTruthy();
  return href!;
}

const ROLES: [string, RegExp, Pages][] = [
  [
    "admin@riverside.example",
    /\/c\/riverside\/admin$/,
    async (page) => [
      "/c/riverside/admin",
      "/c/riverside/patients",
      await firstLink(page, "/c/riverside/patients", /^\/c\/riverside\/patients\/[0-9a-f-]{36}$/),
      "/c/riverside/invitations",
      "/c/riverside/sso",
      "/c/riverside/audit",
      "/c/riverside/no-shows",
      "/c/riverside/no-shows?view=patients",
      await firstLink(page, "/c/riverside/admin", /^\/c\/riverside\/staff\/[0-9a-f-]{36}$/),
      "/c/riverside/no-such-page",
      "/account",
    ],
  ],
  ["doctor@riverside.example", /\/c\/riverside\/doctor$/, async () => ["/c/riverside/doctor", "/c/riverside/patients", "/c/riverside/audit"]],
  [
    "reception@riverside.example",
    /\/c\/riverside\/reception$/,
    async (page) => [
      "/c/riverside/reception",
      "/c/riverside/patients/new",
      "/c/riverside/appointments/week",
      "/c/riverside/notifications",
      "/c/riverside/follow-ups",
      (await firstLink(page, "/c/riverside/patients", /^\/c\/riverside\/patients\/[0-9a-f-]{36}$/)) + "/edit",
      "/account",
    ],
  ],
  ["lab@riverside.example", /\/c\/riverside\/lab$/, async () => ["/c/riverside/lab", "/c/riverside/patients"]],
  ["nurse@riverside.example", /\/c\/riverside\/nurse$/, async () => ["/c/riverside/nurse", "/c/riverside/patients"]],
  ["patient@riverside.example", /\/c\/riverside\/my-records$/, async () => ["/c/riverside/my-records", "/c/riverside/my-records/contact", "/account"]],
  [
    "platform@hms.example",
    /\/platform$/,
    async () => ["/platform", "/platform/audit", "/platform/registrations", "/platform/outbox", "/platform/nope", "/account"],
  ],
];

const PUBLIC = ["/", "/clinics", "/login", "/forgot-password", "/register", "/no-such-page"];

/** What is wrong with the page's layout at its current size. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) problems.push(`the page scrolls sideways by ${overflow} px`);
    // The header's visible pieces (and the controls inside them) must not overlap.
    const header = document.querySelector("header");
    if (!header) return [...problems, "no header"];
    const boxes = Array.from(header.children)
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 1 && overlapY > 1) {
          problems.push(`header: "${boxes[i].el.textContent?.trim().slice(0, 30)}" overlaps "${boxes[j].el.textContent?.trim().slice(0, 30)}"`);
        }
      }
    }
    const h = header.getBoundingClientRect();
    if (h.right > window.innerWidth + 1) problems.push(`the header ends at ${h.right} px`);
    for (const el of Array.from(header.querySelectorAll("a, button, summary"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.right > window.innerWidth + 1) problems.push(`"${el.textContent?.trim()}" is cut off at the right`);
      if (r.height < 44) problems.push(`"${el.textContent?.trim()}" is ${r.height} px tall`);
    }
    return problems;
  });
}

type Axe = Awaited<ReturnType<typeof axeChecker>>;

async function checkPage(page: Page, axe: Axe, path: string, signedIn: boolean) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(path);
    await settled(page);
    const where = `${path} at ${size.width}×${size.height}`;
    expect(await layoutProblems(page), where).toEqual([]);
    // One header and one footer: an error is shown inside the frame, once.
    await expect(page.locator("header"), where).toHaveCount(1);
    await expect(page.locator("footer"), where).toHaveCount(1);
    if (signedIn) {
      // The person's navigation, and never an offer to sign in.
      expect(await page.locator('nav[aria-label="Main"] a').count(), where).toBeGreaterThan(0);
      await expect(page.locator("header").getByRole("link", { name: "Sign in" }), where).toHaveCount(0);
      await expect(page.locator("header summary", { hasText: "Account menu for" }), where).toHaveCount(1);
    }
    expect(await axe.check(), where).toEqual([]);
  }
}

test.describe.configure({ timeout: 240_000 });

test("every public page fits each screen and is accessible", async ({ page }) => {
  const axe = await axeChecker(page);
  for (const path of PUBLIC) await checkPage(page, axe, path, false);
  await axe.close();
});

for (const [email, landing, pages] of ROLES) {
  test(`every page of ${email} fits each screen, with the person's navigation`, async ({ page }) => {
    await signIn(page, email, landing);
    const axe = await axeChecker(page);
    for (const path of await pages(page)) await checkPage(page, axe, path, true);
    await axe.close();
  });
}

test("signed in, the public pages lead back to the dashboard", async ({ page }) => {
  await signIn(page, "nurse@riverside.example", /\/c\/riverside\/nurse$/);
  await page.goto("/");
  await settled(page);
  await expect(page.locator("header").getByRole("link", { name: "Go to your dashboard" })).toHaveAttribute(
    "href",
    "/c/riverside/nurse",
  );
  await expect(page.locator("header").getByRole("link", { name: "Sign in" })).toHaveCount(0);
  // Sign-in sends someone already signed in on, and so does the installed app's start.
  await page.goto("/login");
  await expect(page).toHaveURL(/\/c\/riverside\/nurse$/);
  await page.goto("/home");
  await expect(page).toHaveURL(/\/c\/riverside\/nurse$/);
  // The logo leads to the dashboard from the person's own pages.
  await page.goto("/account");
  await settled(page);
  await page.locator("header").getByRole("link", { name: "HMS: your dashboard" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/nurse$/);
});

test("signed out, the installed app starts at sign-in", async ({ page }) => {
  await page.goto("/home");
  await expect(page).toHaveURL(/\/login$/);
});

test("a page that does not exist inside a clinic shows once, inside the clinic's frame", async ({ page }) => {
  await signIn(page, "doctor@riverside.example", /\/c\/riverside\/doctor$/);
  const response = await page.goto("/c/riverside/wards/does-not-exist");
  expect(response?.status()).toBe(404);
  await settled(page);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toHaveCount(1);
  await expect(page.locator("header")).toHaveCount(1);
  await page.getByRole("link", { name: "Go to your dashboard" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/doctor$/);
});

test("a refused page shows the refusal without its form, with a way back", async ({ page }) => {
  await signIn(page, "lab@riverside.example", /\/c\/riverside\/lab$/);
  for (const path of ["/c/riverside/audit", "/c/riverside/patients"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await settled(page);
    await expect(page.getByRole("heading", { level: 1, name: "Not available to your role" })).toBeVisible();
    await expect(page.locator("main form")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Go to your dashboard" })).toBeVisible();
  }
});

test("the platform menu marks the one page that is open", async ({ page }) => {
  await signIn(page, "platform@hms.example", /\/platform$/);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/platform/audit");
  await settled(page);
  const current = page.locator('aside nav[aria-label="Main"] a[aria-current="page"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("Audit log");
});

test("a table wider than a tablet scrolls inside its own named region", async ({ page }) => {
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto("/c/riverside/audit");
  await settled(page);
  const region = page.getByRole("region", { name: /Audit events/ });
  await expect(region).toHaveAttribute("tabindex", "0");
  const { scroll, client } = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(scroll).toBeGreaterThan(client);
  // Keyboard users scroll it too.
  await region.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});
