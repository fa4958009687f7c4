-- Counts a new session of a tenant against limits.max-sessions, atomically. Only used with that
-- limit: a limit on all sessions needs one count.
-- KEYS: 1 the tenant's count; ARGV: 1 max sessions, 2 ttl (ms)
-- Returns {1} when counted, {0} when the tenant is at the limit
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
	return { 0 }
end
redis.call('INCR', KEYS[1])
extend(KEYS[1], tonumber(ARGV[2]))
return { 1 }
