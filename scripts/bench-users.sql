-- The benchmark's staff, :per_clinic per demo clinic in a realistic mix of
-- roles (repeating every 25), their emails starting with :'label', with the
-- demo password. No admins: they sign in with a second factor, which a load
-- generator has no phone for. Prints "email<TAB>patient-number prefix" per user.
with hash as (
    select password_hash from users where email = 'doctor@riverside.example'
), roles (n, role) as (
    select n, (array['doctor', 'doctor', 'doctor', 'doctor', 'doctor', 'doctor', 'doctor', 'doctor',
                     'nurse', 'nurse', 'nurse', 'nurse', 'nurse', 'nurse',
                     'receptionist', 'receptionist', 'receptionist', 'receptionist', 'receptionist', 'receptionist',
                     'lab_technician', 'lab_technician', 'lab_technician',
                     'nurse', 'receptionist'])[(n - 1) % 25 + 1]
    from generate_series(1, :per_clinic) n
), wanted as (
    select c.id as clinic_id, c.slug, r.n, r.role,
           format('%s.%s.%s@%s.example', :'label', r.role, r.n, c.slug) as email
    from clinics c cross join roles r
    where c.slug in ('riverside', 'hilltop')
), made as (
    insert into users (email, display_name, password_hash)
    select w.email, format('%s %s %s', initcap(:'label'), w.role, w.n), (select password_hash from hash)
    from wanted w
    returning id, email
), joined as (
    insert into memberships (clinic_id, user_id, role, department_id)
    select w.clinic_id, m.id, w.role,
           case when w.role = 'doctor' then
               (select d.id from departments d where d.clinic_id = w.clinic_id and d.code = 'GEN')
           end
    from wanted w join made m on m.email = w.email
    returning clinic_id
)
select w.email, case w.slug when 'riverside' then 'RGH' else 'HTC' end
from wanted w
where (select count(*) from joined) = 2 * :per_clinic
order by w.n, w.slug;
