-- Prints wrk's results as one tab-separated line: requests/s, p50, p95, p99 (ms), errors.
-- A script that checks answers itself lists its threads in bench_threads,
-- each counting in `wrong` the answers that were not what success answers.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  for _, thread in ipairs(bench_threads or {}) do
    errors = errors + (thread:get("wrong") or 0)
  end
  io.write(string.format("WRK\t%.0f\t%.2f\t%.2f\t%.2f\t%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors))
end
