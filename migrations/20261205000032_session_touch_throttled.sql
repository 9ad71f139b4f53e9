-- Every request checks its session (issue 16, performance). Until now the
-- check wrote `last_seen_at` on every request, so every page view and every
-- hydrated server call paid a row update and a WAL flush at commit: on two
-- cores, under 70 staff, that flush was a large part of the slow tail.
--
-- The check now reads, and writes only when the recorded time is older than
-- a sixtieth of the session's idle timeout (15 s of a 15-minute timeout, at
-- least one second). A session can therefore end at most that much earlier
-- than its timeout says, never later; a request that does not write assigns
-- no transaction id and its commit flushes nothing. Same signature, same
-- rows returned, same grants. PL/pgSQL rather than SQL: a SQL function is
-- planned again on every call, which cost more than the work (0.7 ms a
-- request under load); PL/pgSQL keeps its plans for the connection.
create or replace function session_touch(session uuid)
returns table (user_id uuid, email text, display_name text, is_platform_admin boolean,
               idle_timeout_secs integer, expires_at timestamptz)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
    live record;
begin
    select s.last_seen_at, u.id, u.email, u.display_name, u.is_platform_admin,
           s.idle_timeout_secs, s.expires_at
    into live
    from user_sessions s
    join users u on u.id = s.user_id
    where s.id = session
      and s.ended_at is null
      and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(secs => s.idle_timeout_secs)
      and u.status = 'active';
    if not found then
        return;
    end if;
    if live.last_seen_at < now() - make_interval(secs => greatest(1, live.idle_timeout_secs / 60.0)) then
        update user_sessions s set last_seen_at = now() where s.id = session;
    end if;
    return query select live.id, live.email, live.display_name, live.is_platform_admin,
                        live.idle_timeout_secs, live.expires_at;
end
$$;
