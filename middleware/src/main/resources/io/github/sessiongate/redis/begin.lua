-- Admits a request: one round trip at request start.
-- KEYS: 1 record, 2 leases
-- ARGV: 1 tenant, 2 creation time (us), 3 idle timeout (ms), 4 history retention (ms),
--       5 absolute timeout (ms, 0 none), 6 max concurrent (0 none), 7 rate capacity (0 none),
--       8 rate refill period (us), 9 lease time (ms), 10 lease id, 11 create if absent ('1'/'0'),
--       12 deadline (Redis time, ms; 0 none), 13 how long a live record outlives its idle timeout (ms)
-- Returns {'absent'} | {'foreign'} | {'ended', endedNow, stats...} | {'rejected', limit, wait us, now ms}
--       | {'admitted', user, created, tokens left, now ms} | {'late', now ms} | {'cancelled'}
local rec, leases = KEYS[1], KEYS[2]
local now, nowms = clock()
-- a request whose node stopped waiting for this reply must not take a permit
local deadline = tonumber(ARGV[12])
if deadline > 0 and nowms > deadline then
	return { 'late', fmt(nowms) }
end
local mark = 'x:' .. ARGV[10]
local f = redis.call('HMGET', rec, 'tn', 'st', 'c', 'u', mark)
if f[5] then
	-- the node gave up on this request and released its lease before it was taken
	redis.call('HDEL', rec, mark)
	return { 'cancelled' }
end
local idle = tonumber(ARGV[3])
local retention = tonumber(ARGV[4])
local lease = tonumber(ARGV[9])
local ttl = math.max(idle + tonumber(ARGV[13]), lease)
local created = 0
if not f[2] then
	if ARGV[11] ~= '1' then
		return { 'absent' }
	end
	local c = fmt(math.min(tonumber(ARGV[2]), now))
	redis.call('HSET', rec, 'tn', ARGV[1], 'st', 'ACTIVE', 'c', c, 'l', fmt(now), 'it', ARGV[3],
		'rq', 0, 'er', 0, 'rj', 0, 'tt', 0, 'mx', 0)
	f = { ARGV[1], 'ACTIVE', c, false }
	created = 1
end
if f[1] ~= ARGV[1] then
	return { 'foreign' }
end
if f[2] ~= 'ACTIVE' then
	return prepend({ 'ended', 0 }, stats(rec, leases, nowms))
end
local absolute = tonumber(ARGV[5])
if absolute > 0 and now - tonumber(f[3]) >= absolute * 1000 then
	return prepend({ 'ended', 1 }, finish(rec, leases, 'EXPIRED', 'absolute-timeout', now, nowms, retention))
end
local function touch()
	redis.call('HSET', rec, 'l', fmt(now), 'it', ARGV[3])
	redis.call('PEXPIRE', rec, fmt(ttl))
	if redis.call('EXISTS', leases) == 1 then
		redis.call('PEXPIRE', leases, fmt(ttl))
	end
end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', fmt(nowms))
local max = tonumber(ARGV[6])
if max > 0 and redis.call('ZCARD', leases) >= max then
	redis.call('HINCRBY', rec, 'rj', 1)
	touch()
	return { 'rejected', 'session-concurrency', 0, fmt(nowms) }
end
local capacity = tonumber(ARGV[7])
local remaining = -1
if capacity > 0 then
	local perToken = tonumber(ARGV[8]) / capacity
	local b = redis.call('HMGET', rec, 'tk', 'tr')
	local tokens = capacity
	if b[1] then
		local elapsed = math.max(0, now - tonumber(b[2]))
		tokens = math.min(capacity, tonumber(b[1]) + elapsed / perToken)
	end
	if tokens < 1 then
		redis.call('HSET', rec, 'tk', string.format('%.17g', tokens), 'tr', fmt(now))
		redis.call('HINCRBY', rec, 'rj', 1)
		touch()
		return { 'rejected', 'rate', fmt(math.max(1, math.ceil((1 - tokens) * perToken))), fmt(nowms) }
	end
	redis.call('HSET', rec, 'tk', string.format('%.17g', tokens - 1), 'tr', fmt(now))
	remaining = math.floor(tokens - 1)
end
redis.call('ZADD', leases, fmt(nowms + lease), ARGV[10])
redis.call('HINCRBY', rec, 'rq', 1)
touch()
return { 'admitted', f[4] or '', created, remaining, fmt(nowms) }
