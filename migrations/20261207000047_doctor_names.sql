-- Doctors' names for the appointment pages, patients' included.
--
-- A patient sees only their own membership (memberships_own), and so no
-- other user: the portal could not list the doctors to book with, nor
-- say whom an appointment is with. These two functions read past that
-- and give only what a clinic tells its patients anyway: who sees
-- patients in which department, and the name of a member of this clinic.

-- The clinic's doctors and heads of department seeing patients, by
-- department.
create function clinic_doctors()
returns table (department_id uuid, user_id uuid, display_name text)
language sql stable security definer set search_path = public, pg_temp as $$
    select m.department_id, u.id, u.display_name
    from memberships m join users u on u.id = m.user_id
    where m.clinic_id = app_clinic_id() and m.active
      and m.role in ('doctor', 'head_of_department') and m.department_id is not null
$$;
revoke all on function clinic_doctors() from public;
grant execute on function clinic_doctors() to hms_app;

-- The name of someone who is (or was) a member of this clinic; null for
-- anyone else, so no name outside the clinic can be read through it.
create function clinic_member_name(member uuid) returns text
language sql stable security definer set search_path = public, pg_temp as $$
    select u.display_name from users u
    where u.id = member
      and exists (select 1 from memberships m
                  where m.user_id = member and m.clinic_id = app_clinic_id())
$$;
revoke all on function clinic_member_name(uuid) from public;
grant execute on function clinic_member_name(uuid) to hms_app;
