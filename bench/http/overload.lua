-- wrk script of bench/http/overload.sh: durable sign-ons over 10,000 users per thread, each connection paced to send one
-- every CONNECTIONS / RATE seconds (as in scenario.lua), counting the answers by status.
local key = "Bearer " .. (os.getenv("KEY") or "")
local body = '{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","authMethod":"password"}'
local headers = { ["Authorization"] = key, ["Content-Type"] = "application/json" }
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  created, refused, retryAfter, other = 0, 0, 0, 0
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/tenants/overload/users/w" .. tid .. "-u" .. (counter % 10000) .. "/sessions", headers, body)
end

function response(status, responseHeaders)
  if status == 201 then
    created = created + 1
  elseif status == 503 then
    refused = refused + 1
    if responseHeaders["Retry-After"] then retryAfter = retryAfter + 1 end
  else
    other = other + 1
  end
end

local rate = tonumber(os.getenv("RATE") or "0")
if rate > 0 then
  local interval = 1000 * tonumber(os.getenv("CONNECTIONS") or "1000") / rate
  function delay() return interval end
end

function done(summary, latency, requests)
  local c, r, ra, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); r = r + t:get("refused"); ra = ra + t:get("retryAfter"); o = o + t:get("other")
  end
  io.write(string.format("statuses: created %d refused %d retry_after %d other %d\n", c, r, ra, o))
end
