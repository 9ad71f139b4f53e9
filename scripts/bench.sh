#!/usr/bin/env bash
# make bench: measures the release build on this machine and prints a table.
# Needs the release build (make build) and scripts/install-deps.sh bench.
set -euo pipefail
cd "$(dirname "$0")/.."
# Always the throwaway cluster, never a database from the caller's environment.
unset DATABASE_URL DATABASE_OWNER_URL
target_dir=${CARGO_TARGET_DIR:-target}
hms="$target_dir/release/hms"
site=${HMS_SITE_ROOT:-target/site}
duration=${BENCH_SECONDS:-20}
# The working-pace runs go longer: at ~70 requests/s a 20-second run has
# ~1,400 requests, so its p99 is the 14th-slowest one and swings with any
# hiccup on the shared cores; 60 seconds puts 42 requests behind the p99.
pace_duration=${BENCH_PACE_SECONDS:-60}
connections=${BENCH_CONNECTIONS:-50}
# Signed-in staff at once: Bahmni's published peak load is 70.
staff=70
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

work=$(mktemp -d /tmp/hms-bench.XXXXXX)
chmod 755 "$work"
export HMS_DATA_DIR=$work HMS_EMBEDDED_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$hms" db stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# 500 open event streams, the load generator's ends and the server's.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

"$hms" db start >/dev/null
"$hms" db create hms_seed >/dev/null
seed_start=$(date +%s.%N)
seed_url=$("$hms" db url --role owner hms_seed)
DATABASE_URL=$seed_url DATABASE_OWNER_URL=$seed_url "$hms" seed-demo --patients 100000 >/dev/null
seed_seconds=$(echo "$(date +%s.%N) - $seed_start" | bc)

# 70 staff accounts to sign in (scripts/bench-users.sql).
admin_url=$("$hms" db url --role admin hms_seed)
bench_users() { # per-clinic label out
  psql -qAtX -F $'\t' -v ON_ERROR_STOP=1 -v per_clinic="$1" -v label="$2" "$admin_url" \
    -f scripts/bench-users.sql >"$3"
  [ "$(wc -l <"$3")" -eq $((2 * $1)) ] || { echo "could not create the benchmark's users" >&2; exit 1; }
}
bench_users $((staff / 2)) bench "$work/users.tsv"
# Another 430, so that 500 people in all sign in (the memory target's load)
# and hold 500 event streams open.
bench_users $(((500 - staff) / 2)) storm "$work/storm-users.tsv"

# Cold start: process launch to /readyz answering 200 (migrations already
# applied), serving the 100,000-patient database. Every benchmark user signs in
# from this one address, as a hospital behind one NAT would: successful
# sign-ins do not count against it. The API's request limits are lifted (a
# load generator sends in seconds what a tablet sends in a day); they still
# count every request.
secret_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
start=$(date +%s.%N)
DATABASE_URL=$("$hms" db url --role app hms_seed) DATABASE_OWNER_URL=$seed_url \
  HMS_SECRET_KEY=$secret_key HMS_API_REQUESTS_PER_TOKEN=100000000 HMS_API_REQUESTS_PER_ADDRESS=100000000 \
  HMS_LISTEN_ADDR=127.0.0.1:$port HMS_SITE_ROOT=$site HMS_LOG=warn "$hms" serve >"$work/serve.log" 2>&1 &
server_pid=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.01
done
cold_start=$(echo "$(date +%s.%N) - $start" | bc)

load() {
  wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s -s scripts/wrk-report.lua "http://127.0.0.1:$port$1" \
    | awk -F'\t' '/^WRK/ { printf "%s\t%s\t%s\t%s\t%s", $2, $3, $4, $5, $6 }'
}
IFS=$'\t' read -r root_rps root_p50 root_p95 root_p99 root_err <<<"$(load /)"

# Signed in: 70 users at once (argon2id makes each sign-in deliberately slow),
# then their dashboards and patient searches, first as people working (a
# second between pages on every connection), then flat out.
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
# The peak so far, noted after each phase, so that a high peak names the
# phase that reached it.
hwm_mib() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
rss_before_storm=$(rss_mib)
IFS=$'\t' read -r _ signin_n signin_p50 signin_p95 signin_max signin_err <<<"$(
  python3 scripts/bench-sign-in.py --port "$port" --password hms-demo-password \
    --out "$work/sessions.tsv" <"$work/users.tsv" | grep '^SIGNIN')"
IFS=$'\t' read -r _ storm_n storm_p50 storm_p95 storm_max storm_err <<<"$(
  python3 scripts/bench-sign-in.py --port "$port" --password hms-demo-password --no-searches \
    --out "$work/storm-sessions.tsv" <"$work/storm-users.tsv" | grep '^SIGNIN')"
rss_after_storm=$(rss_mib)
hwm_signin=$(hwm_mib)
# Records to open: 2,000 patients of each demo clinic.
psql -qAtX -F $'\t' -v ON_ERROR_STOP=1 "$admin_url" -c \
  "select c.slug, p.id from clinics c cross join lateral (
     select id from patients where clinic_id = c.id order by patient_number limit 2000) p
   where c.slug in ('riverside', 'hilltop')" >"$work/records.tsv"
users() { # mode think-ms [clinic slug]
  local seconds=$duration
  [ "$2" = 0 ] || seconds=$pace_duration
  BENCH_SESSIONS=$work/sessions.tsv BENCH_RECORDS=$work/records.tsv BENCH_MODE=$1 BENCH_THINK_MS=$2 \
    BENCH_CLINIC=${3:-} \
    wrk -t2 -c"$staff" -d"${seconds}s" --timeout 5s -s scripts/wrk-users.lua "http://127.0.0.1:$port" \
    | awk -F'\t' '/^WRK/ { printf "%s\t%s\t%s\t%s\t%s", $2, $3, $4, $5, $6 }'
}
IFS=$'\t' read -r dash_rps dash_p50 dash_p95 dash_p99 dash_err <<<"$(users dashboard 1000)"
IFS=$'\t' read -r search_rps search_p50 search_p95 search_p99 search_err <<<"$(users search 1000)"
IFS=$'\t' read -r dashmax_rps dashmax_p50 dashmax_p95 dashmax_p99 dashmax_err <<<"$(users dashboard 0)"
IFS=$'\t' read -r searchmax_rps searchmax_p50 searchmax_p95 searchmax_p99 searchmax_err <<<"$(users search 0)"
hwm_pages=$(hwm_mib)
# Audited reads against unaudited ones, flat out, in one clinic (one audit
# chain): opening records (each writes a VIEW event) beside exact-number
# searches (which write none). Four rounds, the order swapped each round, so
# neither side always runs on a warmer cache; each round's ratio is reported
# and the median is the figure.
ratios=()
for round in 1 2 3 4; do
  if [ $((round % 2)) = 1 ]; then order="number record"; else order="record number"; fi
  for mode in $order; do
    IFS=$'\t' read -r rps p50 p95 p99 err <<<"$(users "$mode" 0 riverside)"
    printf -v "${mode}_rps" %s "$rps"; printf -v "${mode}_p50" %s "$p50"
    printf -v "${mode}_p95" %s "$p95"; printf -v "${mode}_p99" %s "$p99"
    printf -v "${mode}_err" %s "$err"
  done
  ratios+=("$(echo "scale=0; 100 * $record_rps / $number_rps" | bc)")
done
hwm_audited=$(hwm_mib)
ratio_median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%d", (a[2] + a[3]) / 2 }')
# The public API's reads: a token per benchmark user (the lab's excepted),
# records opened flat out at 50 connections (each writes a VIEW event), and
# name searches at a working pace.
python3 scripts/bench-api-tokens.py --port "$port" --password hms-demo-password \
  <"$work/users.tsv" >"$work/api-tokens.tsv"
psql -qAtX -F $'\t' -v ON_ERROR_STOP=1 "$admin_url" -c \
  "select c.slug, n.family_name from clinics c cross join lateral (
     select distinct family_name from patients where clinic_id = c.id limit 200) n
   where c.slug in ('riverside', 'hilltop')" >"$work/names.tsv"
api() { # mode think-ms connections
  local seconds=$duration
  [ "$2" = 0 ] || seconds=$pace_duration
  BENCH_API_TOKENS=$work/api-tokens.tsv BENCH_RECORDS=$work/records.tsv BENCH_NAMES=$work/names.tsv \
    BENCH_MODE=$1 BENCH_THINK_MS=$2 \
    wrk -t2 -c"$3" -d"${seconds}s" --timeout 5s -s scripts/wrk-api.lua "http://127.0.0.1:$port" \
    | awk -F'\t' '/^WRK/ { printf "%s\t%s\t%s\t%s\t%s", $2, $3, $4, $5, $6 }'
}
IFS=$'\t' read -r apirec_rps apirec_p50 apirec_p95 apirec_p99 apirec_err <<<"$(api record 0 50)"
IFS=$'\t' read -r apisearch_rps apisearch_p50 apisearch_p95 apisearch_p99 apisearch_err <<<"$(api search 1000 "$staff")"
apirec_per_core=$(( apirec_rps / $(nproc) ))
hwm_api=$(hwm_mib)
audit_events=$(psql -qAtX "$admin_url" -c "select count(*) from audit_events where action = 'VIEW'")

# The front desk. Patients to check in: 3,000 of each demo clinic not among
# the records opened above, in any of its departments.
psql -qAtX -F $'\t' -v ON_ERROR_STOP=1 "$admin_url" -c \
  "select c.slug,
          (select string_agg(d.id::text, ' ') from departments d where d.clinic_id = c.id),
          (select string_agg(p.id::text, ' ') from (
             select id from patients where clinic_id = c.id order by patient_number offset 10000 limit 3000) p)
   from clinics c where c.slug in ('riverside', 'hilltop')" >"$work/clinics.tsv"
# 70 staff at work, after a morning's 300 check-ins at each clinic: each
# kind of request's latency (scripts/bench-front-desk.py).
python3 scripts/bench-front-desk.py --port "$port" --sessions "$work/sessions.tsv" \
  --clinics "$work/clinics.tsv" --seconds "$pace_duration" --queue 300 >"$work/front-desk.tsv"
declare -A op
while IFS=$'\t' read -r _ kind n p50 p95 p99 err; do
  op[$kind]="$p50 / $p95 / $p99 ms ($n requests, $err errors)"
done < <(grep '^OP' "$work/front-desk.tsv")
hwm_desk=$(hwm_mib)
# Flat out: registrations (each a new person) and the front desk's queue page.
IFS=$'\t' read -r regmax_rps regmax_p50 regmax_p95 regmax_p99 regmax_err <<<"$(users register 0)"
IFS=$'\t' read -r queuemax_rps queuemax_p50 queuemax_p95 queuemax_p99 queuemax_err <<<"$(users queue 0)"
hwm_flat=$(hwm_mib)
# Every signed-in session holds its clinic's event stream open; a check-in
# at each clinic, 20 times over, must reach all of them.
IFS=$'\t' read -r _ live_streams live_n live_p50 live_p95 live_max live_missed live_rss live_failed <<<"$(
  python3 scripts/bench-live.py --port "$port" --server-pid "$server_pid" --clinics "$work/clinics.tsv" \
    --sessions "$work/sessions.tsv" "$work/storm-sessions.tsv" | grep '^LIVE')"
hwm_streams=$(hwm_mib)

# wrk counts only 4xx/5xx as errors; a session that had ended would get a
# redirect to sign in, so every session must still open its dashboard.
lost_sessions=0
while IFS=$'\t' read -r cookie dashboard _; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Accept: text/html' "http://127.0.0.1:$port$dashboard")
  [ "$code" = 200 ] || lost_sessions=$((lost_sessions + 1))
done <"$work/sessions.tsv"
# The chains must still verify after the load: every VIEW event linked,
# against the checkpoints the server wrote.
if DATABASE_URL=$seed_url DATABASE_OWNER_URL=$seed_url HMS_SECRET_KEY=$secret_key \
  "$hms" audit verify >"$work/verify.log" 2>&1; then
  verify="$(grep -c 'chain intact' "$work/verify.log") chains intact"
else
  verify="FAILED: $(grep -v 'chain intact' "$work/verify.log" | head -3 | tr '\n' ' ')"
fi
IFS=$'\t' read -r hz_rps hz_p50 hz_p95 hz_p99 hz_err <<<"$(load /healthz)"
peak_rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")

wasm=$(ls "$site"/pkg/*.wasm | head -1)
js=$(ls "$site"/pkg/hms.*.js | head -1)
css=$(ls "$site"/pkg/*.css | head -1)
size() { stat -c %s "$1"; }
br() { brotli -c -q 11 "$1" | wc -c; }
kib() { echo "scale=1; $1 / 1024" | bc; }
# Bytes on the wire as the server sends them to a browser that accepts brotli.
served() { curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: br' -H 'Accept: text/html' "${@:2}" "http://127.0.0.1:$port$1"; }

# What each route costs a first visit: its page, and the islands bundle, the
# same for every route because only islands reach the browser (ARCHITECTURE.md).
bundle_served=$(($(served "/pkg/$(basename "$wasm")") + $(served "/pkg/$(basename "$js")")))
IFS=$'\t' read -r cookie dashboard _ <"$work/sessions.tsv"
clinic=$(cut -d/ -f1-3 <<<"$dashboard")
routes=""
for route in / /login /clinics /register; do
  routes+="| $route | $(kib "$(served "$route")") | $(kib "$bundle_served") |"$'\n'
done
for route in "$dashboard" "$clinic/patients" /account; do
  routes+="| $route (signed in) | $(kib "$(served "$route" -H "Cookie: $cookie")") | $(kib "$bundle_served") |"$'\n'
done

cat <<TABLE

| measure | value |
|---|---|
| cold start to ready | $(printf "%.3f" "$cold_start") s |
| GET / throughput ($connections conns, ${duration} s) | $root_rps req/s ($root_err errors) |
| GET / latency p50 / p95 / p99 | $root_p50 / $root_p95 / $root_p99 ms |
| GET /healthz throughput | $hz_rps req/s ($hz_err errors) |
| GET /healthz latency p50 / p95 / p99 | $hz_p50 / $hz_p95 / $hz_p99 ms |
| sign-in, $signin_n users at once: p50 / p95 / max | $signin_p50 / $signin_p95 / $signin_max ms ($signin_err failed) |
| sign-in storm, $storm_n more at once: p50 / p95 / max | $storm_p50 / $storm_p95 / $storm_max ms ($storm_err failed) |
| server RSS before the sign-ins / after all $((storm_n + signin_n)) | $rss_before_storm / $rss_after_storm MiB |
| dashboards, $signin_n signed-in users, 1 s between pages (${pace_duration} s): p50 / p95 / p99 | $dash_p50 / $dash_p95 / $dash_p99 ms ($dash_rps req/s, $dash_err errors) |
| patient search, same users and pace: p50 / p95 / p99 | $search_p50 / $search_p95 / $search_p99 ms ($search_rps req/s, $search_err errors) |
| dashboards flat out (no pause): p50 / p95 / p99 | $dashmax_p50 / $dashmax_p95 / $dashmax_p99 ms ($dashmax_rps req/s, $dashmax_err errors) |
| patient search flat out: p50 / p95 / p99 | $searchmax_p50 / $searchmax_p95 / $searchmax_p99 ms ($searchmax_rps req/s, $searchmax_err errors) |
| one clinic, exact-number search flat out (audits nothing), last round: p50 / p95 / p99 | $number_p50 / $number_p95 / $number_p99 ms ($number_rps req/s, $number_err errors) |
| one clinic, record opens flat out (each audited), last round: p50 / p95 / p99 | $record_p50 / $record_p95 / $record_p99 ms ($record_rps req/s, $record_err errors) |
| audited opens as % of the unaudited rate, rounds 1–4 / median | ${ratios[*]} / $ratio_median % |
| API: \`GET patients/{id}\` flat out, 50 conns (each audited): p50 / p95 / p99 | $apirec_p50 / $apirec_p95 / $apirec_p99 ms ($apirec_rps req/s = $apirec_per_core per core, $apirec_err errors) |
| API: name search, $staff tokens, 1 s between requests: p50 / p95 / p99 | $apisearch_p50 / $apisearch_p95 / $apisearch_p99 ms ($apisearch_rps req/s, $apisearch_err errors) |
| audit VIEW events written in the run | $audit_events |
| \`hms audit verify\` after the load | $verify |
| sessions lost during the run | $lost_sessions of $signin_n |
| front desk, $staff staff at a working pace (${pace_duration} s): registration p50 / p95 / p99 | ${op[registration]:-not measured} |
| check-in p50 / p95 / p99 | ${op[check_in]:-not measured} |
| patient search by name p50 / p95 / p99 | ${op[search_by_name]:-not measured} |
| front desk queue page p50 / p95 / p99 | ${op[desk_queue]:-not measured} |
| doctor's dashboard ("Today's queue") p50 / p95 / p99 | ${op[doctor_queue]:-not measured} |
| nurse's dashboard (waiting for vitals) p50 / p95 / p99 | ${op[nurse_queue]:-not measured} |
| lab dashboard p50 / p95 / p99 | ${op[lab_dashboard]:-not measured} |
| registration flat out: p50 / p95 / p99 | $regmax_p50 / $regmax_p95 / $regmax_p99 ms ($regmax_rps req/s, $regmax_err errors) |
| front desk queue page flat out: p50 / p95 / p99 | $queuemax_p50 / $queuemax_p95 / $queuemax_p99 ms ($queuemax_rps req/s, $queuemax_err errors) |
| $live_streams open event streams ($live_failed failed to open): a check-in heard, p50 / p95 / max | $live_p50 / $live_p95 / $live_max ms ($live_n heard, $live_missed missed) |
| server RSS with the streams open | $live_rss MiB |
| server peak RSS | $(echo "scale=1; $peak_rss_kb / 1024" | bc) MiB |
| peak RSS by the end of: sign-ins / pages / audited opens / API / front desk / registration and queue flat out / streams | $hwm_signin / $hwm_pages / $hwm_audited / $hwm_api / $hwm_desk / $hwm_flat / $hwm_streams MiB |
| WASM raw / brotli | $(kib "$(size "$wasm")") / $(kib "$(br "$wasm")") KiB |
| CSS raw / brotli | $(kib "$(size "$css")") / $(kib "$(br "$css")") KiB |
| seed 100,000 demo patients (COPY) | $(printf "%.2f" "$seed_seconds") s |

| route, first visit | page HTML as served (KiB) | JS + WASM as served (KiB; budget 300) |
|---|---|---|
$routes
machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; load generator wrk on the same machine
TABLE
