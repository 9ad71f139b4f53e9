-- Durable jobs and the no-show sweep (issue 18).
--
-- job_runs: one row per run of a job. A recurring job's run is named by
-- its tick, (job, slot), the start of the period it covers: the unique
-- key lets exactly one of several server processes claim each tick, and
-- the row survives restarts. A run that fails waits (run_at) and is
-- tried again; one whose process stopped is taken up again when its
-- lease runs out. `hms jobs run NAME` adds a run of its own (a slot of
-- the moment it was asked for).
--
--   pending    waiting for its next attempt (run_at)
--   running    claimed by one process until lease_until
--   succeeded  done; `outcome` says what it did
--   failed     every attempt failed: a platform admin looks
create table job_runs (
    id uuid primary key default uuid_generate_v7(),
    job text not null,
    slot timestamptz not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    run_at timestamptz not null default now(),
    lease_until timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    outcome jsonb,
    last_error text,
    -- Who asked for it: null for the schedule, else the operator's note.
    requested_by text,
    created_at timestamptz not null default now(),
    constraint job_runs_tick_unique unique (job, slot),
    constraint job_runs_status_known check (status in ('pending', 'running', 'succeeded', 'failed')),
    constraint job_runs_job_length check (char_length(job) between 1 and 50),
    constraint job_runs_error_length check (char_length(last_error) <= 500),
    constraint job_runs_requested_by_length check (char_length(requested_by) <= 100),
    constraint job_runs_attempts_not_negative check (attempts >= 0),
    constraint job_runs_lease_while_running check ((status = 'running') = (lease_until is not null)),
    constraint job_runs_finished check ((status in ('succeeded', 'failed')) = (finished_at is not null))
);
create index job_runs_due_idx on job_runs (run_at) where status = 'pending';
create index job_runs_lease_idx on job_runs (lease_until) where status = 'running';
create index job_runs_recent_idx on job_runs (created_at desc, id desc);
create index job_runs_failed_idx on job_runs (created_at desc, id desc) where status = 'failed';

-- The server's background work claims and records runs; platform admins
-- read them. No clinic sees them (they hold counts, never patient data).
alter table job_runs enable row level security;
alter table job_runs force row level security;
create policy job_runs_system on job_runs
    using (app_system_scope()) with check (app_system_scope());
create policy job_runs_platform_read on job_runs for select
    using (app_platform_scope());
grant select, insert, update on job_runs to hms_app;

-- One row per no-show: the sweep's insert is keyed by the appointment, so
-- two sweeps at once, or one run again after a crash, add one penalty.
-- The self-booking suspension counts them.
create table no_show_penalties (
    appointment_id uuid primary key references appointments (id) on delete cascade,
    clinic_id uuid not null references clinics (id) on delete cascade,
    patient_id uuid not null references patients (id) on delete cascade,
    created_at timestamptz not null default now()
);
create index no_show_penalties_patient_idx on no_show_penalties (patient_id, created_at desc);
create index no_show_penalties_clinic_idx on no_show_penalties (clinic_id, created_at desc);

-- The clinic's staff read them; only the sweep (the server's own work
-- inside the clinic) adds them; a patient reads their own; nobody changes
-- or deletes them (no grant).
alter table no_show_penalties enable row level security;
alter table no_show_penalties force row level security;
create policy no_show_penalties_in_clinic on no_show_penalties
    using (clinic_id = app_clinic_id())
    with check (clinic_id = app_clinic_id() and app_system_scope());
create policy no_show_penalties_own on no_show_penalties as restrictive
    using (not app_acting_as_patient() or patient_id = app_patient_id())
    with check (not app_acting_as_patient());
grant select, insert on no_show_penalties to hms_app;
