-- wrk script: durable sign-ons spread over 10,000 users per wrk thread (a new session each request).
local body = '{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","authMethod":"password","clientId":"web"}'
local headers = { ["Content-Type"] = "application/json" }
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local user = "t" .. tid .. "-u" .. (counter % 10000)
  return wrk.format("POST", "/v1/tenants/bench/users/" .. user .. "/sessions", headers, body)
end
