-- Extends the lease of a request still in progress.
-- KEYS: 1 leases; ARGV: 1 lease id, 2 lease time (ms)
local _, nowms = clock()
local changed = redis.call('ZADD', KEYS[1], 'XX', 'CH', fmt(nowms + tonumber(ARGV[2])), ARGV[1])
if changed == 1 then
	extend(KEYS[1], tonumber(ARGV[2]))
end
return { changed }
