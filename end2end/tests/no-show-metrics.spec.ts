import { Page, expect, test } from "@playwright/test";
import { signIn } from "./auth-helpers";
import { axeChecker, ownerPsql, settled } from "./helpers";

/**
 * A missed appointment of Dr Amelia Hart's three days ago, loaded as an
 * import would (the lifecycle's triggers off: a no-show is otherwise the
 * sweep's), for the demo patient `nth` by number; the patient's name.
 */
function missedThreeDaysAgo(nth: number) {
  return ownerPsql(
    `begin;
     alter table appointments disable trigger user;
     insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                               appointment_type, reason, booked_by, status)
     select c.id, p.id, m.department_id, m.user_id,
            tstzrange(now() - interval '3 days' - s.off, now() - interval '3 days' - s.off + interval '15 minutes'),
            'routine', '', m.user_id, 'no_show'
     from clinics c
     join memberships m on m.clinic_id = c.id
     join users u on u.id = m.user_id and u.email = 'doctor@riverside.example'
     cross join lateral (select id from patients where clinic_id = c.id and user_id is null
                         order by patient_number offset :'nth' limit 1) p
     cross join (select make_interval(secs => (random() * 100000)::int) as off) s
     where c.slug = 'riverside';
     alter table appointments enable trigger user;
     commit;
     select given_name || ' ' || family_name from patients
     where clinic_id = (select id from clinics where slug = 'riverside') and user_id is null
     order by patient_number offset :'nth' limit 1;`,
    { nth: String(nth) },
  );
}

async function axeAtBothWidths(page: Page, axe: Awaited<ReturnType<typeof axeChecker>>) {
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await axe.check()).toEqual([]);
  await page.setViewportSize({ width: 768, height: 1024 });
}

test("the clinic admin follows the no-show rate to the report by doctor and by patient", async ({ page }, testInfo) => {
  const name = missedThreeDaysAgo(testInfo.project.name === "no-js" ? 5 : 6).split("\n").pop()!;
  await signIn(page, "admin@riverside.example", /\/c\/riverside\/admin$/);
  const card = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "No-shows" }) });
  await expect(card).toContainText("No-show rate, last 30 days");
  await expect(card).toContainText(/\d+\.\d%/);
  await card.getByRole("link", { name: "No-shows by doctor and patient" }).click();
  await expect(page).toHaveURL(/\/c\/riverside\/no-shows$/);
  await expect(page.getByRole("heading", { level: 1, name: "No-shows" })).toBeVisible();
  const doctors = page.getByRole("table", { name: "No-shows by doctor, most missed first" });
  await expect(doctors.getByRole("row").filter({ hasText: "Dr Amelia Hart" })).toBeVisible();
  await settled(page);
  const axe = await axeChecker(page);
  await axeAtBothWidths(page, axe);

  await page.getByRole("link", { name: "By patient" }).click();
  const patients = page.getByRole("table", { name: "Patients who missed appointments, most first" });
  const row = patients.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Open");
  await settled(page);
  await axeAtBothWidths(page, axe);

  // A period ending after today is refused by its field; the form keeps it.
  const later = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel("To", { exact: true }).fill(later);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByText("Choose today or an earlier day")).toBeVisible();
  await expect(page.getByLabel("To", { exact: true })).toHaveValue(later);
  await settled(page);
  await axeAtBothWidths(page, axe);
  await axe.close();
});
