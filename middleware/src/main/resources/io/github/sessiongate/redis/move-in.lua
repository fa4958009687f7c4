-- Second half of a session id change: writes the state under the new id.
-- KEYS: 1 record, 2 leases; ARGV: 1 ttl (ms), 2 number of record items, record items..., lease items...
local rec, leases = KEYS[1], KEYS[2]
local n = tonumber(ARGV[2])
redis.call('DEL', rec, leases)
if n > 0 then
	redis.call('HSET', rec, unpack(ARGV, 3, 2 + n))
end
for i = 3 + n, #ARGV, 2 do
	redis.call('ZADD', leases, ARGV[i + 1], ARGV[i])
end
local ttl = tonumber(ARGV[1])
if ttl > 0 then
	redis.call('PEXPIRE', rec, ARGV[1])
	if redis.call('EXISTS', leases) == 1 then
		redis.call('PEXPIRE', leases, ARGV[1])
	end
end
return { 1 }
