-- Stops counting a session of a tenant (limits.max-sessions). KEYS: 1 the tenant's count.
-- A: ttl (ms, 0 to leave it). Reply: count (what is left)
local A = named()
local n = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
	n = redis.call('DECR', KEYS[1])
	if n < 0 then
		redis.call('INCRBY', KEYS[1], -n)
		n = 0
	end
end
local ttl = tonumber(A.ttl)
if ttl > 0 then
	extend(KEYS[1], ttl)
end
return { 'count', n }
