-- wrk script for the load test: every request takes the next path from WRK_PATHS
-- ("/a|/b|..."), so pages and API calls are mixed; prints one JSON line with the counts.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/healthz", "[^|]+") do paths[#paths + 1] = p end
local counter = 0
local statuses = {}

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.1f, "requests": %d, "socket_errors": %d, "non2xx3xx": %d, "p50": %.2f, "p99": %.2f}\n',
    summary.requests / (summary.duration / 1e6), summary.requests, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
