-- Only the clinic admin changes the clinic's booking rules (issue 18): the
-- app asks for the admin's permission, and the database holds the same
-- line for any other role in the clinic.
create policy clinic_schedule_settings_changed_by_admin on clinic_schedule_settings as restrictive
    for update using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                      or app_platform_scope());
