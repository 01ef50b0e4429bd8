-- wrk script for the load test: every request takes the next path from WRK_PATHS
-- ("/a|/b|..."), so pages and API calls are mixed; prints one JSON line with the counts,
-- socket errors by kind and the 503s and other 5xx among the non-2xx/3xx answers.
-- With WRK_BYPASS="<header>:<n>", every n-th request skips the page cache (it reaches the database).
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/healthz", "[^|]+") do paths[#paths + 1] = p end
local counter = 0
local bypass_header, bypass_every = string.match(os.getenv("WRK_BYPASS") or "", "^([^:]+):(%d+)$")
bypass_every = tonumber(bypass_every)
local threads = {}
-- Global, so done() can read each thread's counts with thread:get().
statuses = {}

setup = function(thread)
  threads[#threads + 1] = thread
end

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if bypass_every and counter % bypass_every == 0 then
    return wrk.format("GET", path, {[bypass_header] = "1"})
  end
  return wrk.format("GET", path)
end

response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local e = summary.errors
  local s503, s5xx = 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      if status == 503 then s503 = s503 + count elseif status >= 500 then s5xx = s5xx + count end
    end
  end
  io.write(string.format(
    '{"rps": %.1f, "requests": %d, "socket_errors": %d, "non2xx3xx": %d, "p50": %.2f, "p99": %.2f, '
    .. '"max": %.2f, "connect": %d, "read": %d, "write": %d, "timeout": %d, "s503": %d, "s5xx_other": %d}\n',
    summary.requests / (summary.duration / 1e6), summary.requests, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, s503, s5xx))
end
