-- Every clinic-owned table now states what someone acting as a patient may
-- do with it (tests/it/schema.rs holds the classification and fails any
-- table without one). Three tables had no such policy: a patient's clinic
-- transaction could, at the database level, have written departments and
-- doctors' profiles and read the outbox. No server function lets a patient
-- do so; these restrictive policies make the database refuse it as well.

-- Departments and doctors' profiles: patients may read them (to choose a
-- department or doctor) and change nothing.
create policy departments_read_only_for_patients on departments as restrictive
    for insert with check (not app_acting_as_patient());
create policy departments_no_update_by_patients on departments as restrictive
    for update using (not app_acting_as_patient());
create policy doctor_profiles_read_only_for_patients on doctor_profiles as restrictive
    for insert with check (not app_acting_as_patient());
create policy doctor_profiles_no_update_by_patients on doctor_profiles as restrictive
    for update using (not app_acting_as_patient());

-- The outbox: a patient's actions may queue an email, and the patient can
-- neither read nor change any message.
create policy outbox_emails_unread_by_patients on outbox_emails as restrictive
    for select using (not app_acting_as_patient());
create policy outbox_emails_unchanged_by_patients on outbox_emails as restrictive
    for update using (not app_acting_as_patient());
