-- wrk script of bench/event_http_bench.sh. Every connection first logs in (POST /api/v1/sessions
-- as the user given) and then, with the Bearer token of that login, either files events
-- ("create": POST /api/v1/events, grid patrol reports at grid centres read from a file, five
-- classes in turn) or lists them ("list": GET /api/v1/events?limit=N, the caller's scope, newest
-- first). Responses are counted per thread and summed in done(): logins apart, so the figures
-- are events created (201) or lists answered (200), and anything else.
-- Usage: wrk ... -s bench/event_wrk.lua URL -- create USER POINTS_FILE | list USER LIMIT

local mode, user, limit
local points = {}
local classes = { "1101", "1102", "1103", "1105", "0101" }
local token
local seq = 0
-- Per-thread counters, read by done() through thread:get.
ok, other, logins = 0, 0, 0

function init(args)
    mode, user = args[1] or "list", args[2] or "center_jfb"
    if mode == "create" then
        for line in io.lines(args[3]) do
            local lon, lat = line:match("^(%S+)%s+(%S+)$")
            if lon then points[#points + 1] = { lon, lat } end
        end
        -- threads start at different points so they do not report the same spot together
        math.randomseed(tonumber((tostring({}):match("0x(%x+)") or "1"), 16) + os.time())
        seq = math.random(1, 100000)
    else
        limit = args[3] or "50"
    end
end

local function login()
    return wrk.format("POST", "/api/v1/sessions", { ["Content-Type"] = "application/json" },
        string.format('{"username":"%s","password":"zhizhi-demo"}', user))
end

function request()
    if not token then
        return login()
    end
    local auth = { Authorization = "Bearer " .. token, ["Content-Type"] = "application/json" }
    if mode == "list" then
        return wrk.format("GET", "/api/v1/events?limit=" .. limit, auth)
    end
    seq = seq + 1
    local p = points[seq % #points + 1]
    return wrk.format("POST", "/api/v1/events", auth, string.format(
        '{"category":"%s","title":"压测事件 %d","description":"bench: wrk","lon":%s,"lat":%s}',
        classes[seq % #classes + 1], seq, p[1], p[2]))
end

function response(status, headers, body)
    -- A login answer carries "permissions"; an event or a list does not.
    if status == 201 and body:find('"permissions"', 1, true) then
        token = token or body:match('"token"%s*:%s*"([^"]+)"')
        logins = logins + 1
        return
    end
    if (mode == "create" and status == 201) or (mode == "list" and status == 200) then
        ok = ok + 1
    else
        other = other + 1
    end
end

local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
end

function done(summary, latency, requests)
    local o, x, l = 0, 0, 0
    for _, t in ipairs(threads) do
        o, x, l = o + t:get("ok"), x + t:get("other"), l + t:get("logins")
    end
    local secs = summary.duration / 1e6
    io.write(string.format("ok %d other %d logins %d seconds %.3f per_s %.1f p50_ms %.2f p99_ms %.2f\n",
        o, x, l, secs, o / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
