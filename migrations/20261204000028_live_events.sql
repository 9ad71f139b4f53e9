-- Live updates (issue 16): each committed change to a visit is announced on
-- the `hms_events` channel, which every server process listens to
-- (server::events) and passes to the pages open on it. NOTIFY bypasses
-- row-level security, so a message names only the clinic, a topic and an
-- id: the page reads what changed through its own server function, under
-- the reader's own rights. Notifications are sent at commit, and never for
-- a rolled-back change.
create function announce_visit_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hms_events', json_build_object(
        'clinic', new.clinic_id,
        'topic', 'queue:' || new.department_id,
        'id', new.id)::text);
    return null;
end $$;

create trigger patient_visits_announced after insert or update on patient_visits
    for each row execute function announce_visit_change();
