import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { signIn } from "./auth-helpers";
import { axeChecker, ownerPsql, settled } from "./helpers";
import { secretKey } from "../playwright.config";

/**
 * A booked appointment that ended an hour ago, loaded past the booking
 * checks (as an import would), with a reason of its own; returns its day
 * in the clinic.
 */
function missedAppointment(reason: string) {
  return ownerPsql(
    `begin;
     alter table appointments disable trigger appointments_bookable;
     insert into appointments (clinic_id, patient_id, department_id, doctor_user_id, during,
                               appointment_type, reason, booked_by)
     select c.id, p.id, m.department_id, m.user_id,
            tstzrange(now() - interval '75 minutes', now() - interval '60 minutes'),
            'routine', :'reason', m.user_id
     from clinics c
     join memberships m on m.clinic_id = c.id
     join users u on u.id = m.user_id and u.email = 'gp2@riverside.example'
     cross join lateral (select id from patients where clinic_id = c.id and user_id is null
                         order by patient_number limit 1) p
     where c.slug = 'riverside';
     alter table appointments enable trigger appointments_bookable;
     commit;
     select ((now() - interval '75 minutes') at time zone 'Europe/London')::date;`,
    { reason },
  );
}

test("a missed appointment shows as a no-show after `hms jobs run no-show`", async ({ page }, testInfo) => {
  const reason = `Missed check (${testInfo.project.name} ${Date.now()})`;
  const day = missedAppointment(reason).split("\n").pop()!;
  const out = execFileSync(process.env.HMS_BIN ?? "target/release/hms", ["jobs", "run", "no-show"], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      DATABASE_OWNER_URL: process.env.E2E_DATABASE_OWNER_URL ?? "",
      HMS_SECRET_KEY: secretKey,
      HMS_BASE_URL: "http://127.0.0.1:3100",
      HMS_LOG: "error",
    },
  }).toString();
  expect(out).toContain("no_show_sweep succeeded");

  await signIn(page, "reception@riverside.example", /\/c\/riverside\/reception$/);
  await page.goto(`/c/riverside/appointments?day=${day}`);
  const row = page.getByRole("table", { name: "Appointments of the day" }).getByRole("row").filter({ hasText: reason });
  await expect(row).toContainText("No-show");
  await settled(page);
  const axe = await axeChecker(page);
  expect(await axe.check()).toEqual([]);
  await axe.close();
});
