-- Checks one session for the sweeper: ends it when idle or over age.
-- KEYS: 1 record, 2 leases; ARGV: 1 absolute timeout (ms, 0 none), 2 history retention (ms)
-- Returns {'gone'} | {'ended-before', ended (us)} | {'ended', stats...} | {'live', next check (ms), user}
local rec, leases = KEYS[1], KEYS[2]
local f = redis.call('HMGET', rec, 'st', 'c', 'l', 'it', 'u', 'e')
if not f[1] then
	return { 'gone' }
end
if f[1] ~= 'ACTIVE' then
	return { 'ended-before', f[6] or '0' }
end
local now, nowms = clock()
local retention = tonumber(ARGV[2])
local absolute = tonumber(ARGV[1])
local created = tonumber(f[2])
if absolute > 0 and now - created >= absolute * 1000 then
	return prepend({ 'ended' }, finish(rec, leases, 'EXPIRED', 'absolute-timeout', now, nowms, retention))
end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', fmt(nowms))
local active = redis.call('ZCARD', leases)
local idle = tonumber(f[4])
local last = tonumber(f[3])
if active == 0 and now - last > idle * 1000 then
	return prepend({ 'ended' }, finish(rec, leases, 'EXPIRED', 'idle-timeout', now, nowms, retention))
end
local next = math.floor(last / 1000) + idle + 1
if next <= nowms then
	next = nowms + idle + 1
end
if absolute > 0 then
	next = math.min(next, math.floor(created / 1000) + absolute)
end
return { 'live', fmt(next), f[5] or '' }
