-- One URL group of bench_load: wrk sends GETs to random paths of one file and counts
-- every answer that is not a 200 (and every 200 without the group's marker text),
-- and the answers served from the page cache (`X-Page-Cache: hit`).
-- Configured by the environment (wrk gives done() no script arguments):
--   BENCH_LOAD_URLS    file with one path per line
--   BENCH_LOAD_OUT     file done() writes the counts and the latency histogram to
--   BENCH_LOAD_HEADERS header lines "Name: value" separated by "\n"
--   BENCH_LOAD_MARKER  text every 200 must contain (optional: the logged-in buyer's)
--   BENCH_LOAD_SEED    random seed

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(os.getenv("BENCH_LOAD_URLS")) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   headers = {}
   for line in string.gmatch(os.getenv("BENCH_LOAD_HEADERS") or "", "[^\n]+") do
      local name, value = string.match(line, "^([^:]+):%s*(.*)$")
      headers[name] = value
   end
   marker = os.getenv("BENCH_LOAD_MARKER")
   if marker == "" then
      marker = nil
   end
   math.randomseed(tonumber(os.getenv("BENCH_LOAD_SEED") or "1"))
   not_ok = 0
   unmarked = 0
   cache_hits = 0
   statuses = ""
   seen = {}
end

function request()
   return wrk.format("GET", paths[math.random(#paths)], headers)
end

function response(status, response_headers, body)
   if response_headers["X-Page-Cache"] == "hit" then
      cache_hits = cache_hits + 1
   end
   if status ~= 200 then
      not_ok = not_ok + 1
      seen[status] = (seen[status] or 0) + 1
      statuses = ""
      for code, count in pairs(seen) do
         statuses = statuses .. code .. "=" .. count .. " "
      end
   elseif marker and not string.find(body, marker, 1, true) then
      unmarked = unmarked + 1
   end
end

function done(summary, latency, requests)
   local out = io.open(os.getenv("BENCH_LOAD_OUT"), "w")
   local errors = summary.errors
   out:write(string.format("requests %d\n", summary.requests))
   out:write(string.format("duration_us %d\n", summary.duration))
   out:write(string.format("bytes %d\n", summary.bytes))
   out:write(string.format(
      "socket_errors %d\n",
      errors.connect + errors.read + errors.write + errors.timeout
   ))
   out:write(string.format("timeouts %d\n", errors.timeout))
   local bad, missing, hits, codes = 0, 0, 0, ""
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("not_ok")
      missing = missing + thread:get("unmarked")
      hits = hits + thread:get("cache_hits")
      codes = codes .. thread:get("statuses")
   end
   out:write(string.format("not_ok %d\n", bad))
   out:write(string.format("unmarked %d\n", missing))
   out:write(string.format("cache_hits %d\n", hits))
   out:write("statuses " .. codes .. "\n")
   for i = 1, #latency do
      local value, count = latency(i)
      out:write(string.format("latency %d %d\n", value, count))
   end
   out:close()
end
