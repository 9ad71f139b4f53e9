-- The patient an audit event concerns, whichever of the patient's things it
-- names: the record itself, one of their visits (check-in and its moves
-- through the queue) or a set of their vital signs. The audit log shows
-- that patient's number beside each such event, so "who touched this
-- patient" is answered by the patient's whole trail, not only by the opens
-- and edits of the record.
--
-- Stable, not immutable like audit_patient_id(): it reads the visit and the
-- vital signs, as the caller (row-level security decides what it finds).
-- audit_patient_id() stays as it is for what needs an immutable function.
create function audit_event_patient_id(entity_type text, entity_id text) returns uuid
language sql stable as $$
    select case
        when entity_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then null
        when entity_type = 'patient' then entity_id::uuid
        when entity_type = 'visit'
        then (select v.patient_id from patient_visits v where v.id = entity_id::uuid)
        when entity_type = 'vital_signs'
        then (select s.patient_id from vital_signs s where s.id = entity_id::uuid)
    end
$$;

revoke execute on function audit_event_patient_id(text, text) from public;
grant execute on function audit_event_patient_id(text, text) to hms_app;
