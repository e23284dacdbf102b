-- wrk script: a user's session list, over the users that signon.lua created.
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local user = "t" .. tid .. "-u" .. (counter % 10000)
  return wrk.format("GET", "/v1/tenants/bench/users/" .. user .. "/sessions")
end
