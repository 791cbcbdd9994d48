-- Browsing mix for wrk: half adapter listings (filtered, sorted by a metric, one page of 20), half version
-- details of a random version among the 10,000 seeded ones. PREFIX is "" (direct) or "/v1" (gateway).
-- Env: API_KEY (gateway), PEFTFLOW_GATEWAY_SECRET (direct).
local prefix = os.getenv("PREFIX") or ""
local key = os.getenv("API_KEY")
local secret = os.getenv("PEFTFLOW_GATEWAY_SECRET")
local adapters = tonumber(os.getenv("ADAPTERS") or "200")
local versions = tonumber(os.getenv("VERSIONS") or "50")
if prefix == "/v1" then
  -- Through the gateway: the API key says who the tenant is.
  wrk.headers["Authorization"] = "Bearer " .. key
else
  -- Directly: what the gateway adds to a forwarded request.
  wrk.headers["X-Tenant"] = "bench"
  wrk.headers["X-Peftflow-Gateway-Secret"] = secret
end
local bases = {"tiny-llama", "llama-3-8b"}
local counter = 0

request = function()
  counter = counter + 1
  if counter % 2 == 0 then
    local base = bases[(counter / 2) % 2 + 1]
    return wrk.format("GET", prefix .. "/adapters?base_model=" .. base .. "&sort=exact_match&limit=20")
  end
  local a = math.random(1, adapters)
  local v = math.random(1, versions)
  return wrk.format("GET", string.format("%s/adapters/bench-%03d/versions/%d", prefix, a, v))
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
