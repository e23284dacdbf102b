-- wrk script of bench/run.sh: one SCENARIO over the sessions bench/http/seed.mjs wrote to SEED ("<user> <id> <token>").
--   list      GET a seeded user's sessions (ten each)
--   signon    POST a durable sign-on for a new session of one of USERS users per thread
--   activity  POST activity on a seeded session
--   me        GET /v1/me/sessions with a seeded session's token
--   listall   GET the tenant's first page of active sessions
--   mix       70 % activity, 20 % list, 8 % sign-on, 2 % revoke of a session this thread's sign-ons made
-- RATE (requests/s over all connections; CONNECTIONS must say how many) paces each connection instead of sending as fast
-- as answers come (bench/soak.sh).
local scenario = os.getenv("SCENARIO") or "list"
local key = "Bearer " .. (os.getenv("KEY") or "")
local users = tonumber(os.getenv("USERS") or "10000")
local signOnBody = '{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","authMethod":"password","clientId":"web"}'
local json = { ["Authorization"] = key, ["Content-Type"] = "application/json" }
local plain = { ["Authorization"] = key }
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local seeded = {}
local revocable = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("SEED")) do
    local user, id, token = line:match("(%S+) (%S+) (%S+)")
    seeded[#seeded + 1] = { user = user, id = id, token = token }
  end
  -- SALT (bench/soak.sh: the segment's number) makes each run pick other sessions; without it a run repeats the last.
  math.randomseed(tid * 7919 + tonumber(os.getenv("SALT") or "0"))
end

local function pick() return seeded[math.random(#seeded)] end
local function sessions(user) return "/v1/tenants/bench/users/" .. user .. "/sessions" end
local function list() return wrk.format("GET", sessions(pick().user), plain) end
local function activity() local s = pick(); return wrk.format("POST", sessions(s.user) .. "/" .. s.id .. "/activity", json, "{}") end
local function signon()
  counter = counter + 1
  return wrk.format("POST", sessions("w" .. tid .. "-u" .. (counter % users)), json, signOnBody)
end

function request()
  if scenario == "list" then return list()
  elseif scenario == "signon" then return signon()
  elseif scenario == "activity" then return activity()
  elseif scenario == "me" then return wrk.format("GET", "/v1/me/sessions", { ["Authorization"] = "Bearer " .. pick().token })
  elseif scenario == "listall" then return wrk.format("GET", "/v1/tenants/bench/sessions", plain)
  end
  local r = math.random(100)
  if r <= 2 and #revocable > 0 then
    local s = table.remove(revocable)
    return wrk.format("POST", sessions(s.user) .. "/" .. s.id .. "/revoke", json, '{"reason":"bench"}')
  elseif r <= 10 then return signon()
  elseif r <= 30 then return list()
  end
  return activity()
end

if scenario == "mix" then
  -- The mix revokes only sessions its own sign-ons made, each once, so a revoke never finds one already ended.
  function response(status, headers, body)
    if status == 201 and #revocable < 1000 then
      local id, user = body:match('"id":"(%w+)","tenant":"[^"]*","userId":"([^"]+)"')
      if id then revocable[#revocable + 1] = { user = user, id = id } end
    end
  end
end

local rate = tonumber(os.getenv("RATE") or "0")
if rate > 0 then
  -- Each connection sends one request every CONNECTIONS / RATE seconds (less the time its answer took: about that).
  local interval = 1000 * tonumber(os.getenv("CONNECTIONS") or "32") / rate
  function delay() return interval end
end
