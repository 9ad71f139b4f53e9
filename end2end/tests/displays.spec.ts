import { Browser, Page, TestInfo, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, settled } from "./helpers";

/** Each project's own department and doctor (the projects share one database). */
function place(testInfo: TestInfo) {
  return testInfo.project.name === "no-js"
    ? { department: "Cardiology", doctor: "hod@riverside.example", landing: /\/c\/riverside\/doctor$/, family: "Screennojs" }
    : { department: "General Medicine", doctor: "doctor@riverside.example", landing: /\/c\/riverside\/doctor$/, family: "Screenhydrated" };
}

async function contextFor(browser: Browser, testInfo: TestInfo) {
  return browser.newContext({
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    viewport: testInfo.project.use.viewport,
  });
}

/** Without JavaScript the screen reloads itself every 20 seconds; the test reloads at once. */
async function boardShows(screen: Page, testInfo: TestInfo, check: () => Promise<void>) {
  if (testInfo.project.use.javaScriptEnabled === false) await screen.reload();
  await check();
}

test("the admin makes a display link; the waiting-room screen shows tokens called and waiting, never a name", async ({ page, browser }, testInfo) => {
  const { department, doctor, landing, family } = place(testInfo);
  const screenName = `Waiting room ${testInfo.project.name}`;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  await page.goto("/c/riverside/displays");
  await expect(page.getByRole("heading", { level: 1, name: "Queue displays" })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await page.getByLabel("Screen name").fill(screenName);
  await page.getByLabel("Department").selectOption({ label: department });
  await page.getByRole("button", { name: "Make display link" }).click();
  const link = page.getByRole("status").getByRole("link");
  await expect(link).toHaveAttribute("href", /\/display\?key=[0-9a-f]{64}$/);
  const address = (await link.getAttribute("href"))!;
  await expect(page.getByRole("row").filter({ hasText: screenName })).toContainText(department);
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
  await axe.close();

  // The screen: no one signed in.
  const tv = await contextFor(browser, testInfo);
  const screen = await tv.newPage();
  await screen.goto(address);
  await expect(screen.getByRole("heading", { name: "Now serving" })).toBeVisible();
  await settled(screen);
  const screenAxe = await axeChecker(screen);
  expect(await screenAxe.check()).toEqual([]);

  // Reception checks an emergency in.
  const desk = await contextFor(browser, testInfo);
  const reception = await desk.newPage();
  await signIn(reception, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await reception.goto("/c/riverside/patients/new");
  await reception.getByLabel("Given name").fill("Tara");
  await reception.getByLabel("Family name").fill(family);
  await reception.getByLabel("Date of birth").fill("1990-02-03");
  await reception.getByLabel("Sex").selectOption("female");
  await reception.getByLabel("ID type").selectOption("none");
  await reception.getByRole("button", { name: "Register patient" }).click();
  await reception.getByRole("link", { name: "Check in" }).click();
  await reception.getByLabel("Department").selectOption({ label: department });
  await reception.getByLabel("Visit type").selectOption("emergency");
  await reception.getByRole("button", { name: "Check in" }).click();
  const token = (await reception.getByRole("region", { name: "Token slip" }).getByText(/^Token \d+$/).textContent())!.trim();
  await desk.close();

  const next = screen.getByRole("region", { name: "Next" });
  const serving = screen.getByRole("region", { name: "Now serving" });
  await boardShows(screen, testInfo, () => expect(next.getByText(token, { exact: true })).toBeVisible());
  await expect(screen.getByText(`Tara ${family}`)).toHaveCount(0);

  // The doctor calls: the screen says where to go.
  const clinic = await contextFor(browser, testInfo);
  const doc = await clinic.newPage();
  await signIn(doc, doctor, landing);
  const queue = doc.getByRole("region", { name: "Today's queue" });
  await queue.getByRole("button", { name: "Call next" }).click();
  await expect(doc.getByText(`${token} called`)).toBeVisible();
  await boardShows(screen, testInfo, () =>
    expect(serving.getByRole("listitem").filter({ hasText: token })).toContainText(department),
  );
  expect(await screenAxe.check()).toEqual([]);
  // Seen: the visit ends, leaving the department's queue as it was.
  const mine = queue.getByRole("row").filter({ hasText: `Tara ${family}` });
  await mine.getByRole("button", { name: /^Start consultation/ }).click();
  await mine.getByRole("button", { name: /^Complete visit/ }).click();
  await expect(mine).toHaveCount(0);
  await clinic.close();

  // Revoked, the link shows nothing more.
  await page.reload();
  await page.getByRole("button", { name: `Revoke the display ${screenName}` }).click();
  await expect(page.getByRole("row").filter({ hasText: screenName })).toContainText("Revoked");
  await screen.reload();
  await expect(screen.getByRole("heading", { name: "This display link does not work" })).toBeVisible();
  await screenAxe.close();
  await tv.close();
});
