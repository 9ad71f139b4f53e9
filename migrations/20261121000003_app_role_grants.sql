-- What the application role may do. It owns nothing; every privilege it has
-- is granted here, table by table, so a review of this folder shows all of it.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'hms_app') then
        raise exception 'the application role hms_app does not exist; create it before migrating (README: "Your own PostgreSQL")';
    end if;
end
$$;

grant usage on schema public to hms_app;
-- /readyz compares the applied migrations with the binary's.
grant select on _sqlx_migrations to hms_app;
grant select on clinics to hms_app;
grant select, insert, update on patients to hms_app;
