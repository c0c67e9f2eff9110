-- wrk script: every request creates an incident on service "API".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KODO_TOKEN")
wrk.body = '{"title":"Benchmark incident","severity":"minor","services":["API"],"message":"Created by bench/api.sh"}'

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  for code, n in pairs(statuses) do
    io.write(string.format("status %d: %d\n", code, n))
  end
end
