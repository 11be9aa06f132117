-- wrk script of bench/parking_bench.sh: drivers without accounts booking shared spaces
-- ("book": POST /api/v1/parking/bookings, a new plate each request, a lot drawn from B-0001 to
-- B-NNNN, one window) or searching ("search": GET the availability URL given). 201 (booked) or
-- 200 (answered) count as ok; a 409 (full) counts apart; anything else as other.
-- Usage: wrk ... -s bench/parking_wrk.lua URL -- book NLOTS FROM TO | search PATH

local mode, nlots, from, to, path
local seq, letter = 0, "A"
ok, full, other = 0, 0, 0
local letters = { "A", "B", "C", "D", "F", "G", "H", "J" }
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("letter", letters[(counter - 1) % #letters + 1])
    threads = threads or {}
    threads[#threads + 1] = thread
end

function init(args)
    mode = args[1] or "search"
    if mode == "book" then
        nlots, from, to = tonumber(args[2]), args[3], args[4]
        letter = wrk.thread:get("letter") or "A"
        math.randomseed(os.time() + string.byte(letter))
    else
        path = args[2]
    end
end

function request()
    if mode == "search" then
        return wrk.format("GET", path)
    end
    seq = seq + 1
    local lot = string.format("B-%04d", math.random(1, nlots))
    return wrk.format("POST", "/api/v1/parking/bookings", { ["Content-Type"] = "application/json" },
        string.format('{"lot":"%s","plate":"渝%s%05d","from":"%s","to":"%s"}', lot, letter, seq % 100000, from, to))
end

function response(status)
    if status == 201 or status == 200 then
        ok = ok + 1
    elseif status == 409 then
        full = full + 1
    else
        other = other + 1
    end
end

function done(summary, latency)
    local o, f, x = 0, 0, 0
    for _, t in ipairs(threads) do
        o, f, x = o + t:get("ok"), f + t:get("full"), x + t:get("other")
    end
    local secs = summary.duration / 1e6
    io.write(string.format("ok %d full %d other %d seconds %.3f per_s %.1f p50_ms %.2f p99_ms %.2f\n",
        o, f, x, secs, o / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
