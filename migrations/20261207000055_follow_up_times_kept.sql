-- A follow-up's booked, completed and missed times are the database's:
-- each is written by the move into its status (move_follow_up()), and an
-- update that does not make that move keeps the time as it was. Runs after
-- follow_ups_moved (triggers fire by name).
create function keep_follow_up_times() returns trigger
language plpgsql as $$
begin
    new.booked_at := case
        when new.status = 'booked' and old.status <> 'booked' then new.booked_at
        when new.status = 'pending' then null
        else old.booked_at end;
    new.completed_at := case
        when new.status = 'completed' and old.status <> 'completed' then new.completed_at
        else old.completed_at end;
    new.missed_at := case
        when new.status = 'missed' and old.status <> 'missed' then new.missed_at
        else old.missed_at end;
    return new;
end $$;
create trigger follow_ups_times_kept before update on follow_ups
    for each row execute function keep_follow_up_times();
