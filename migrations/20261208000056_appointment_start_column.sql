-- Appointments by time under row-level security (issue 18's performance).
--
-- `lower(during)` is not leakproof, so under the app role's row policies
-- PostgreSQL may not use it as an index condition: the day and week lists
-- and the no-show figures read every appointment of the clinic and then
-- filtered by time (EXPLAIN ANALYZE as the app role, 400,000 appointments:
-- the 30-day rate took 300 ms in a sequential scan). A plain column's
-- comparisons are leakproof, so the start is kept as one (generated: it
-- always equals lower(during)) and indexed with the clinic, replacing the
-- expression index that could not be used.
alter table appointments
    add column starts_at timestamptz generated always as (lower(during)) stored;
create index appointments_clinic_start_idx on appointments (clinic_id, starts_at);
drop index appointments_day_idx;
