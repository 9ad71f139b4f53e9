-- Patient portal accounts. Reception invites a patient from their record:
-- an invitation with the role 'patient', bound to that record, accepted
-- through the same link as a staff invitation; accepting links the record
-- to the account (patients.user_id).

alter table patients add constraint patients_id_clinic_key unique (id, clinic_id);

alter table invitations
    add column patient_id uuid,
    add constraint invitations_patient_same_clinic foreign key (patient_id, clinic_id)
        references patients (id, clinic_id) on delete cascade;

-- Staff roles come from a clinic admin (src/domain/invitation.rs
-- GRANTABLE_ROLES); the patient role only with the record it opens.
alter table invitations drop constraint invitations_role_grantable;
alter table invitations add constraint invitations_role_grantable check (
    (patient_id is null and role in (
        'clinic_admin', 'doctor', 'head_of_department', 'receptionist', 'lab_technician', 'nurse'))
    or (patient_id is not null and role = 'patient' and department_id is null)
);

-- One open staff invitation per person and clinic, as before; one open
-- portal invitation per record, and per address (an account opens one
-- record per clinic, patients_clinic_user_key).
drop index invitations_open_email_key;
create unique index invitations_open_email_key on invitations (clinic_id, email)
    where accepted_at is null and revoked_at is null and patient_id is null;
create unique index invitations_open_patient_email_key on invitations (clinic_id, email)
    where accepted_at is null and revoked_at is null and patient_id is not null;
create unique index invitations_open_patient_key on invitations (patient_id)
    where accepted_at is null and revoked_at is null;
-- The admin's list shows staff invitations only.
drop index invitations_open_created_idx;
create index invitations_open_created_idx on invitations (clinic_id, created_at desc, id desc)
    where accepted_at is null and revoked_at is null and patient_id is null;

-- A patient inside their clinic sees their own record and nothing of
-- anyone else's: these restrictive policies are ANDed with the clinic
-- policies, so the server's queries cannot widen a patient's view even by
-- mistake. Other roles are unaffected.
create function app_acting_as_patient() returns boolean
language sql stable as $$ select coalesce(current_setting('hms.role', true), '') = 'patient' $$;

create policy patients_own_record on patients as restrictive
    using (not app_acting_as_patient() or user_id = app_user_id())
    with check (not app_acting_as_patient());
create policy memberships_own on memberships as restrictive
    using (not app_acting_as_patient() or user_id = app_user_id())
    with check (not app_acting_as_patient());
create policy invitations_not_patients on invitations as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
create policy audit_events_own on audit_events as restrictive for select
    using (not app_acting_as_patient() or actor_user_id = app_user_id());
create policy clinic_sso_settings_not_patients on clinic_sso_settings as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
create policy sso_identities_not_patients on sso_identities as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
create policy sso_access_requests_not_patients on sso_access_requests as restrictive
    using (not app_acting_as_patient())
    with check (not app_acting_as_patient());
