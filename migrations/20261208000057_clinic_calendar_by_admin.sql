-- Only the clinic admin changes the clinic's opening hours and holidays
-- (issue 18), as with its booking rules: the app asks for the admin's
-- permission, and the database holds the same line for any other role in
-- the clinic. Everyone who books still reads them.
create policy clinic_opening_hours_added_by_admin on clinic_opening_hours as restrictive
    for insert with check (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                           or app_platform_scope());
create policy clinic_opening_hours_changed_by_admin on clinic_opening_hours as restrictive
    for update using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                      or app_platform_scope());
create policy clinic_opening_hours_removed_by_admin on clinic_opening_hours as restrictive
    for delete using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                      or app_platform_scope());

create policy clinic_holidays_added_by_admin on clinic_holidays as restrictive
    for insert with check (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                           or app_platform_scope());
create policy clinic_holidays_changed_by_admin on clinic_holidays as restrictive
    for update using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                      or app_platform_scope());
create policy clinic_holidays_removed_by_admin on clinic_holidays as restrictive
    for delete using (coalesce(current_setting('hms.role', true), '') = 'clinic_admin'
                      or app_platform_scope());

-- One holiday a day: the key is named, so a second one on the same day is
-- answered by its field ("That day is already a holiday").
alter table clinic_holidays rename constraint clinic_holidays_pkey to clinic_holidays_one_a_day;
