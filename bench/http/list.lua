-- wrk script: a user's session list, over the users that signon.lua created.
-- USERS (environment) users per wrk thread; few users keep their grains active, many make most requests activate one.
local users = tonumber(os.getenv("USERS") or "10000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("KEY") or "") }
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local user = "t" .. tid .. "-u" .. (counter % users)
  return wrk.format("GET", "/v1/tenants/bench/users/" .. user .. "/sessions", headers)
end
