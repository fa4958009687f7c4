-- Moves the sweep checks of live sessions. KEYS: 1 live index, 2 live count, 3 references.
-- A: ttl (index TTL beyond the newest check, ms); the list: pairs of member and next check (ms)
-- Reply: rescheduled (how many)
local A, list = named()
local _, nowms = clock()
local newest = nowms
for i = list, #ARGV, 2 do
	redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 1], ARGV[i])
	newest = math.max(newest, tonumber(ARGV[i + 1]))
end
extend(KEYS[1], newest - nowms + tonumber(A.ttl))
extend(KEYS[2], newest - nowms + tonumber(A.ttl))
extend(KEYS[3], newest - nowms + tonumber(A.ttl))
return { 'rescheduled', (#ARGV - list + 1) / 2 }
