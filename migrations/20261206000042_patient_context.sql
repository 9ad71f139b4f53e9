-- Someone in the portal sees only their own visits and vital signs. The
-- restrictive policies said so with a sub-select of patients (the record
-- whose user is the person), which PostgreSQL keeps in every plan that reads
-- these tables and sets up at every execution, though only a patient's
-- transaction ever runs it: the queue pages' statements carried a dozen
-- such sub-plans, each with the patients table's own policies inside.
--
-- Entering a clinic as a patient now notes that person's patient record in
-- hms.patient_id, as hms.user_id notes the person (a setting of the same
-- standing: the server sets it only as it enters), and the policies compare
-- a column with it. Anyone else's transaction has it empty, so a patient
-- context set some other way sees no visits rather than someone's.
-- Clinical tables to come write their patient policy the same way.

create function app_patient_id() returns uuid
language sql stable as $$ select nullif(current_setting('hms.patient_id', true), '')::uuid $$;

create or replace function enter_clinic(clinic_slug text, person uuid, preferred text, role_order text[])
returns table (clinic_id uuid, slug text, clinic_name text, role text, department_id uuid,
               today date)
language plpgsql volatile as $$
declare
    chosen record;
begin
    perform set_config('hms.clinic_id', '', true), set_config('hms.user_id', person::text, true),
            set_config('hms.role', '', true), set_config('hms.scope', 'personal', true),
            set_config('hms.patient_id', '', true);
    select c.id, c.slug, c.name, m.role, m.department_id,
           (now() at time zone c.timezone)::date as today into chosen
    from memberships m join clinics c on c.id = m.clinic_id
    where c.slug = clinic_slug and m.user_id = person and m.active and c.status = 'active'
      and m.role = any (role_order)
    order by m.role is not distinct from preferred desc, array_position(role_order, m.role)
    limit 1;
    if not found then
        return;
    end if;
    perform set_config('hms.clinic_id', chosen.id::text, true), set_config('hms.role', chosen.role, true),
            set_config('hms.scope', 'clinic', true);
    if chosen.role = 'patient' then
        -- Read under the patient's own policies: their record, or none.
        perform set_config('hms.patient_id',
                           coalesce((select p.id::text from patients p where p.user_id = person), ''),
                           true);
    end if;
    return query select chosen.id, chosen.slug, chosen.name, chosen.role, chosen.department_id,
                        chosen.today;
end
$$;

alter policy patient_visits_own on patient_visits
    using (not app_acting_as_patient() or patient_id = app_patient_id());
alter policy vital_signs_own on vital_signs
    using (not app_acting_as_patient() or patient_id = app_patient_id());
