-- Checks one session for the sweeper: ends it when idle or over age.
-- KEYS: 1 record, 2 leases. A: absolute (ms, 0 none), retention (history, ms)
-- Reply kind: gone | ended-before (endedAt us) | ended (stats) | live (next check ms, user)
local A = named()
local rec, leases = KEYS[1], KEYS[2]
local f = redis.call('HMGET', rec, 'st', 'c', 'l', 'it', 'u', 'e')
if not f[1] then
	return { 'kind', 'gone' }
end
if f[1] ~= 'ACTIVE' then
	return { 'kind', 'ended-before', 'endedAt', f[6] or '0' }
end
local now, nowms = clock()
local retention = tonumber(A.retention)
local absolute = tonumber(A.absolute)
local created = tonumber(f[2])
if over_age(created, absolute, now) then
	return append({ 'kind', 'ended' }, finish(rec, leases, 'EXPIRED', 'absolute-timeout', now, nowms, retention))
end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', nowms)
local idle = tonumber(f[4])
local last = tonumber(f[3])
if redis.call('ZCARD', leases) == 0 and now - last > idle * 1000 then
	return append({ 'kind', 'ended' }, finish(rec, leases, 'EXPIRED', 'idle-timeout', now, nowms, retention))
end
local next = math.floor(last / 1000) + idle + 1
if next <= nowms then
	next = nowms + idle + 1
end
if absolute > 0 then
	next = math.min(next, math.floor(created / 1000) + absolute)
end
return { 'kind', 'live', 'next', next, 'user', f[5] or '' }
