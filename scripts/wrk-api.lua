-- The public API's reads for wrk, each request as one of the tokens in
-- $BENCH_API_TOKENS ("access token<TAB>clinic slug", from
-- bench-api-tokens.py), taken in turn:
--   BENCH_MODE=record  GET /api/v1/clinics/{slug}/patients/{id} (audits one
--                      VIEW); the ids are in $BENCH_RECORDS ("slug<TAB>id")
--   BENCH_MODE=search  GET /api/v1/clinics/{slug}/patients?q={family name};
--                      the names are in $BENCH_NAMES ("slug<TAB>name")
-- BENCH_THINK_MS pauses each connection between requests (on average).
-- Any answer but 200 counts as an error (wrk counts only 4xx/5xx).
dofile("scripts/wrk-report.lua")

local threads_made = 0
bench_threads = {}
function setup(thread)
  thread:set("thread_no", threads_made)
  threads_made = threads_made + 1
  table.insert(bench_threads, thread)
end

local requests = {}
local turn = 0
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local mode = os.getenv("BENCH_MODE") or "record"
wrong = 0

local function by_slug(file)
  local out = {}
  for line in io.lines(file) do
    local slug, value = line:match("^([^\t]*)\t([^\t]*)$")
    out[slug] = out[slug] or {}
    table.insert(out[slug], value)
  end
  return out
end

local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local values = by_slug(os.getenv(mode == "record" and "BENCH_RECORDS" or "BENCH_NAMES"))
  local n = 0
  for line in io.lines(os.getenv("BENCH_API_TOKENS")) do
    local token, slug = line:match("^([^\t]*)\t([^\t]*)$")
    local list = values[slug] or {}
    local headers = { Authorization = "Bearer " .. token, Accept = "application/json" }
    for k = 1, 40 do
      local value = list[((n * 40 + k) % #list) + 1]
      if value then
        local path = "/api/v1/clinics/" .. slug .. "/patients"
        if mode == "record" then
          path = path .. "/" .. value
        else
          path = path .. "?q=" .. escape(value)
        end
        table.insert(requests, wrk.format("GET", path, headers))
      end
    end
    n = n + 1
  end
  turn = (thread_no or 0) * 7
  math.randomseed(os.time() + (thread_no or 0))
end

function request()
  turn = turn + 1
  return requests[(turn % #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 then wrong = wrong + 1 end
end

function delay()
  if think == 0 then return 0 end
  return math.floor(think * (0.5 + math.random()))
end
