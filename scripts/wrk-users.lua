-- Signed-in users for wrk. Each request belongs to one of the sessions in
-- $BENCH_SESSIONS (written by bench-sign-in.py), taken in turn:
--   BENCH_MODE=dashboard  the user's dashboard page
--   BENCH_MODE=search     a patient search (name, two names, phone, number)
--   BENCH_MODE=number     an exact patient-number search (audits nothing)
--   BENCH_MODE=record     opening a patient's record (audits one VIEW);
--                         the records are in $BENCH_RECORDS ("slug<TAB>id")
-- BENCH_THINK_MS pauses each connection between requests (on average), as a
-- person reads. BENCH_CLINIC (a slug) keeps only that clinic's sessions, so a
-- run loads one clinic's audit chain.
dofile("scripts/wrk-report.lua")

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local requests = {}
local turn = 0
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")

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
  local mode = os.getenv("BENCH_MODE") or "dashboard"
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

function request()
  turn = turn + 1
  return requests[(turn % #requests) + 1]
end

-- Randomised around the mean, so 50 people do not click in lockstep.
function delay()
  if think == 0 then return 0 end
  return math.floor(think * (0.5 + math.random()))
end
