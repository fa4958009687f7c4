-- Moves sweep checks of live sessions. KEYS: 1 live index, 2 live count; ARGV: 1 index ttl beyond the newest
-- check (ms), then pairs of member and next check (ms)
local _, nowms = clock()
local newest = nowms
for i = 2, #ARGV, 2 do
	redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 1], ARGV[i])
	newest = math.max(newest, tonumber(ARGV[i + 1]))
end
extend(KEYS[1], newest - nowms + tonumber(ARGV[1]))
extend(KEYS[2], newest - nowms + tonumber(ARGV[1]))
return { 1 }
