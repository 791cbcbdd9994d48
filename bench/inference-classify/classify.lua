-- One-input classify requests with the demo's transactions, rotating through a few merchants.
-- PREFIX is "" (direct to inference-service) or "/v1" (through the gateway). Env: API_KEY, PEFTFLOW_GATEWAY_SECRET.
local prefix = os.getenv("PREFIX") or ""
if prefix == "/v1" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("API_KEY")
else
  wrk.headers["X-Tenant"] = os.getenv("TENANT") or "demo"
  wrk.headers["X-Peftflow-Gateway-Secret"] = os.getenv("PEFTFLOW_GATEWAY_SECRET")
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local merchants = {"STARBUCKS #4411 AUSTIN TX 5.40", "UBER TRIP #102 CHICAGO IL 23.10", "NETFLIX #88 BOSTON MA 15.99",
                   "WALMART #301 DENVER CO 82.17", "CVS PHARMACY #7 MIAMI FL 12.30", "DELTA AIR LINES #9 NEW YORK NY 310.00"}
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"model": "%s", "input": "Transaction: %s\\nCategory:"}',
    os.getenv("MODEL") or "transactions-lora", merchants[n % #merchants + 1])
  return wrk.format(nil, prefix .. "/classify", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
