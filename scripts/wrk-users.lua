-- Signed-in users for wrk. Each request belongs to one of the sessions in
-- $BENCH_SESSIONS (written by bench-sign-in.py), taken in turn:
--   BENCH_MODE=dashboard  the user's dashboard page
--   BENCH_MODE=search     a patient search (name, two names, phone, number)
--   BENCH_MODE=number     an exact patient-number search (audits nothing)
--   BENCH_MODE=record     opening a patient's record (audits one VIEW);
--                         the records are in $BENCH_RECORDS ("slug<TAB>id")
--   BENCH_MODE=queue      the front desk's queue page (receptionists)
--   BENCH_MODE=register   registering a new patient (receptionists): each
--                         form a new person, so the duplicate check finds
--                         nothing; an answer that does not lead to the new
--                         record counts as an error
-- BENCH_THINK_MS pauses each connection between requests (on average), as a
-- person reads. BENCH_CLINIC (a slug) keeps only that clinic's sessions, so a
-- run loads one clinic's audit chain.
dofile("scripts/wrk-report.lua")

-- Each thread's number, as the global `thread_no` in its own Lua state (a
-- local of the same name here would hide it: every thread would be 0).
local threads_made = 0
-- wrk-report.lua adds up each thread's wrong answers.
bench_threads = {}
function setup(thread)
  thread:set("thread_no", threads_made)
  threads_made = threads_made + 1
  table.insert(bench_threads, thread)
end

local requests = {}
local turn = 0
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local mode = os.getenv("BENCH_MODE") or "dashboard"
-- Receptionists' cookies and clinics, for BENCH_MODE=register.
local desks = {}
-- Answers that were not what success answers (see response()).
wrong = 0

-- Patient ids per clinic slug, for BENCH_MODE=record.
local function records()
  local by_slug = {}
  local file = os.getenv("BENCH_RECORDS")
  if not file then return by_slug end
  for line in io.lines(file) do
    local slug, id = line:match("^([^\t]*)\t([^\t]*)$")
    by_slug[slug] = by_slug[slug] or {}
    table.insert(by_slug[slug], id)
  end
  return by_slug
end

function init(args)
  local ids = records()
  local only = os.getenv("BENCH_CLINIC") or ""
  local n = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    -- Search results come as the form leaves them (scripts/bench-sign-in.py).
    local cookie, dashboard, search, numbers = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    local paths = {}
    if only ~= "" and dashboard:match("^/c/([^/]+)/") ~= only then
      paths = {}
    elseif mode == "dashboard" then
      paths = { dashboard }
    elseif mode == "queue" and dashboard:match("/reception$") then
      paths = { dashboard }
    elseif mode == "register" and dashboard:match("/reception$") then
      table.insert(desks, { cookie = cookie, slug = dashboard:match("^/c/([^/]+)/") })
    elseif search ~= "" and mode == "search" then
      paths = { search }
    elseif search ~= "" and mode == "number" then
      for path in numbers:gmatch("%S+") do table.insert(paths, path) end
    elseif search ~= "" and mode == "record" then
      local slug = dashboard:match("^/c/([^/]+)/")
      local list = ids[slug] or {}
      for k = 1, 40 do
        local id = list[((n * 40 + k) % #list) + 1]
        if id then paths[k] = "/c/" .. slug .. "/patients/" .. id end
      end
    end
    n = n + 1
    for _, path in ipairs(paths) do
      table.insert(requests, wrk.format("GET", path, { Cookie = cookie, Accept = "text/html" }))
    end
  end
  turn = (thread_no or 0) * 7
  math.randomseed(os.time() + (thread_no or 0))
end

-- A counter written in letters, as the name fields accept.
local function letters(n)
  local out = ""
  repeat
    out = string.char(97 + n % 26) .. out
    n = math.floor(n / 26)
  until n == 0
  return out
end

-- A registration form for someone not yet registered: the family name and
-- phone number carry the thread and the turn, so no two are alike.
local function registration()
  local desk = desks[(turn % #desks) + 1]
  local n = (thread_no or 0) * 1000000 + turn
  local body = table.concat({
    "slug=" .. desk.slug,
    "patient%5Bgiven_name%5D=Ravi",
    "patient%5Bfamily_name%5D=Flat" .. letters(n),
    string.format("patient%%5Bdate_of_birth%%5D=19%02d-0%d-1%d", 60 + n % 40, 1 + n % 9, n % 10),
    "patient%5Bsex%5D=male",
    string.format("patient%%5Bphone%%5D=%%2B44+7701+%07d", n),
    "patient%5Bid_type%5D=none",
  }, "&")
  return wrk.format("POST", "/fn/patients/register_patient", {
    Cookie = desk.cookie,
    Accept = "text/html",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    Origin = "http://" .. wrk.host .. ":" .. wrk.port,
  }, body)
end

function request()
  turn = turn + 1
  if mode == "register" then return registration() end
  return requests[(turn % #requests) + 1]
end

-- Only when it matters: with a response() wrk hands every answer to Lua.
if mode == "register" then
  function response(status, headers, body)
    local location = headers["location"] or headers["Location"] or ""
    if status ~= 302 or not location:match("/patients/[0-9a-f-]+%?registered=1$") then
      wrong = wrong + 1
    end
  end
end

-- Randomised around the mean, so 50 people do not click in lockstep.
function delay()
  if think == 0 then return 0 end
  return math.floor(think * (0.5 + math.random()))
end
