-- Stops counting a session of a tenant (limits.max-sessions). KEYS: 1 the tenant's count;
-- ARGV: 1 ttl (ms, 0 to leave it)
if redis.call('EXISTS', KEYS[1]) == 1 then
	local n = redis.call('DECR', KEYS[1])
	if n < 0 then
		redis.call('INCRBY', KEYS[1], -n)
	end
end
local ttl = tonumber(ARGV[1])
if ttl > 0 then
	extend(KEYS[1], ttl)
end
return { 1 }
