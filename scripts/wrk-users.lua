-- Signed-in users for wrk. Each request belongs to one of the sessions in
-- $BENCH_SESSIONS (written by bench-sign-in.py), taken in turn:
--   BENCH_MODE=dashboard  the user's dashboard page
--   BENCH_MODE=search     a patient search (name, two names, phone, number)
-- BENCH_THINK_MS pauses each connection between requests (on average), as a
-- person reads.
dofile("scripts/wrk-report.lua")

local thread_no = 0
function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

local terms = { "smith", "pat", "grace", "oliver grant", "wil", "900321", "0321", "#-00012", "jo", "amara okafor" }
local requests = {}
local turn = 0
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")

function init(args)
  local mode = os.getenv("BENCH_MODE") or "dashboard"
  local n = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    local cookie, dashboard, search, prefix = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    local path = nil
    if mode == "dashboard" then
      path = dashboard
    elseif search ~= "" then
      local term = terms[(n % #terms) + 1]:gsub("#", prefix)
      path = search .. "?q=" .. term:gsub(" ", "+")
    end
    n = n + 1
    if path then
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
