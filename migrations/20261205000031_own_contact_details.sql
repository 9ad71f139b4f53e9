-- A patient keeps their own contact details up to date from the portal
-- (issue 16). Patients may not write `patients` at all (patients_own_record
-- closes it), and that stays so: this function is the one way they change
-- anything there. It writes these nine columns and no other, only on the
-- row linked to the caller's account, only while the caller acts as a
-- patient in that clinic. The server checks the values first (the domain's
-- rules); the table's constraints hold them again. It returns the record's
-- id and the details as they were, for the audit event; no row when no
-- record is linked.
create function update_own_contact_details(
    new_phone text, new_email text, new_address text, new_city text, new_state text,
    new_postal_code text, new_emergency_contact_name text, new_emergency_contact_phone text,
    new_emergency_contact_relationship text)
returns table (patient_id uuid, before jsonb)
language sql volatile security definer set search_path = public, pg_temp as $$
    with own as (
        select id, jsonb_build_object(
                   'phone', phone, 'email', email, 'address', address, 'city', city,
                   'state', state, 'postal_code', postal_code,
                   'emergency_contact_name', emergency_contact_name,
                   'emergency_contact_phone', emergency_contact_phone,
                   'emergency_contact_relationship', emergency_contact_relationship) as before
        from patients
        where app_acting_as_patient() and clinic_id = app_clinic_id()
          and user_id = app_user_id()
        for update
    )
    update patients p
    set phone = new_phone, email = new_email, address = new_address, city = new_city,
        state = new_state, postal_code = new_postal_code,
        emergency_contact_name = new_emergency_contact_name,
        emergency_contact_phone = new_emergency_contact_phone,
        emergency_contact_relationship = new_emergency_contact_relationship
    from own
    where p.id = own.id
    returning p.id, own.before
$$;
revoke all on function update_own_contact_details(text, text, text, text, text, text, text, text, text)
    from public;
grant execute on function update_own_contact_details(text, text, text, text, text, text, text, text, text)
    to hms_app;
