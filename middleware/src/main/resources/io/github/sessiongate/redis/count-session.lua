-- Counts a new session of a tenant against limits.max-sessions, atomically. Only used with that
-- limit: a limit on all sessions needs one count. KEYS: 1 the tenant's count. A: max, ttl (ms)
-- Reply: counted (0 when the tenant is at the limit)
local A = named()
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(A.max) then
	return { 'counted', 0 }
end
redis.call('INCR', KEYS[1])
extend(KEYS[1], tonumber(A.ttl))
return { 'counted', 1 }
