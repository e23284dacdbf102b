-- wrk script: one user's session list, over USERS users signed on by auth.sh, with one kind of credential:
--   MODE=key   GET /v1/tenants/bench/users/{user}/sessions with Authorization: Bearer $SECRET (an API key or the bootstrap key)
--   MODE=token GET /v1/me/sessions with each user's own session token, read from $TOKENS (one per line, line i = user i)
local mode = os.getenv("MODE") or "key"
local users = tonumber(os.getenv("USERS") or "200")
local secret = os.getenv("SECRET") or ""
local tokens = {}
local counter = 0

function init(args)
  if mode == "token" then
    for line in io.lines(os.getenv("TOKENS")) do
      tokens[#tokens + 1] = line
    end
    users = #tokens
  end
end

function request()
  counter = counter + 1
  local i = counter % users
  if mode == "token" then
    return wrk.format("GET", "/v1/me/sessions", { ["Authorization"] = "Bearer " .. tokens[i + 1] })
  end
  return wrk.format("GET", "/v1/tenants/bench/users/u" .. i .. "/sessions", { ["Authorization"] = "Bearer " .. secret })
end
