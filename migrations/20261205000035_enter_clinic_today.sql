-- Every queue, check-in and day count asks for the clinic's date right after
-- entering the clinic: one more round trip on each of those pages, for a
-- value the entering call already has the row for. `enter_clinic` now also
-- returns it: the clinic's date at the transaction's start (`now()`), in
-- its time zone, as the separate statement gave. Otherwise as before
-- (migration 20261202000025).
drop function enter_clinic(text, uuid, text, text[]);

create function enter_clinic(clinic_slug text, person uuid, preferred text, role_order text[])
returns table (clinic_id uuid, slug text, clinic_name text, role text, department_id uuid,
               today date)
language plpgsql volatile as $$
declare
    chosen record;
begin
    perform set_config('hms.clinic_id', '', true), set_config('hms.user_id', person::text, true),
            set_config('hms.role', '', true), set_config('hms.scope', 'personal', true);
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
    return query select chosen.id, chosen.slug, chosen.name, chosen.role, chosen.department_id,
                        chosen.today;
end
$$;
revoke execute on function enter_clinic(text, uuid, text, text[]) from public;
grant execute on function enter_clinic(text, uuid, text, text[]) to hms_app;
