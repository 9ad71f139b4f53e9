-- Entering a clinic took four statements before a server function's own
-- query: set the person's context, read their memberships, choose one, set
-- the clinic's context. Every server function does it, several per page,
-- and on a small server the round trips were a good part of a page's time
-- (issue 14, finding 12). This does the same in one call, as the caller
-- (row-level security applies as ever: the person's own memberships only).
--
-- Chooses the membership in the clinic with this slug whose role is
-- `preferred`, else the first in `role_order`; sets the transaction's
-- context to it and returns it. No row (and only the person's context
-- set) when the person holds no active role there or the clinic is not
-- active.
create function enter_clinic(clinic_slug text, person uuid, preferred text, role_order text[])
returns table (clinic_id uuid, slug text, clinic_name text, role text, department_id uuid)
language plpgsql volatile as $$
declare
    chosen record;
begin
    perform set_config('hms.clinic_id', '', true), set_config('hms.user_id', person::text, true),
            set_config('hms.role', '', true), set_config('hms.scope', 'personal', true);
    select c.id, c.slug, c.name, m.role, m.department_id into chosen
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
    return query select chosen.id, chosen.slug, chosen.name, chosen.role, chosen.department_id;
end
$$;
revoke execute on function enter_clinic(text, uuid, text, text[]) from public;
grant execute on function enter_clinic(text, uuid, text, text[]) to hms_app;
