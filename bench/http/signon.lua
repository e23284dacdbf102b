-- wrk script: durable sign-ons spread over USERS users per wrk thread (a new session each request), from IP (default 203.0.113.7).
local body = '{"ip":"' .. (os.getenv("IP") or "203.0.113.7") .. '","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","authMethod":"password","clientId":"web"}'
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("KEY") or "") }
-- USERS (environment) users per wrk thread; few users keep their grains active, many make most requests activate one.
local users = tonumber(os.getenv("USERS") or "10000")
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local user = "t" .. tid .. "-u" .. (counter % users)
  return wrk.format("POST", "/v1/tenants/bench/users/" .. user .. "/sessions", headers, body)
end
