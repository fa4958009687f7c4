-- Admission, shared by begin.lua and load-begin.lua.
-- A (arguments): 1 tenant, 2 creation time (us), 3 idle timeout (ms), 4 history retention (ms),
--       5 absolute timeout (ms, 0 none), 6 max concurrent (0 none), 7 rate capacity (0 none),
--       8 rate refill period (us), 9 lease time (ms), 10 lease id, 11 create if absent ('1'/'0'),
--       12 deadline (Redis time, ms; 0 none), 13 how long a live record outlives its idle timeout (ms)
-- Returns {'absent'} | {'foreign'} | {'ended', endedNow, stats...} | {'rejected', limit, wait us, now ms}
--       | {'admitted', user, created, tokens left, now ms} | {'late', now ms} | {'cancelled'}
local function admit(rec, leases, A, now, nowms)
	-- a request whose node stopped waiting for this reply must not take a permit
	local deadline = tonumber(A[12])
	if deadline > 0 and nowms > deadline then
		return { 'late', fmt(nowms) }
	end
	local mark = 'x:' .. A[10]
	local f = redis.call('HMGET', rec, 'tn', 'st', 'c', 'u', mark, 'tk', 'tr', 'rq', 'rj')
	if f[5] then
		-- the node gave up on this request and released its lease before it was taken
		redis.call('HDEL', rec, mark)
		return { 'cancelled' }
	end
	local idle = tonumber(A[3])
	local retention = tonumber(A[4])
	local lease = tonumber(A[9])
	local ttl = fmt(math.max(idle + tonumber(A[13]), lease))
	local created = 0
	if not f[2] then
		if A[11] ~= '1' then
			return { 'absent' }
		end
		local c = fmt(math.min(tonumber(A[2]), now))
		redis.call('HSET', rec, 'tn', A[1], 'st', 'ACTIVE', 'c', c, 'l', fmt(now), 'it', A[3],
			'rq', 0, 'er', 0, 'rj', 0, 'tt', 0, 'mx', 0)
		f = { A[1], 'ACTIVE', c, false, false, false, false, '0', '0' }
		created = 1
	end
	if f[1] ~= A[1] then
		return { 'foreign' }
	end
	if f[2] ~= 'ACTIVE' then
		return prepend({ 'ended', 0 }, stats(rec, leases, nowms))
	end
	local absolute = tonumber(A[5])
	if absolute > 0 and now - tonumber(f[3]) >= absolute * 1000 then
		return prepend({ 'ended', 1 }, finish(rec, leases, 'EXPIRED', 'absolute-timeout', now, nowms, retention))
	end
	-- one HSET writes what this request changes in the record
	local set = { 'l', fmt(now), 'it', A[3] }
	-- counters are written with the same HSET (a script runs alone: no lost update)
	local function touch(requests, rejections)
		if requests > 0 then
			prepend(set, { 'rq', tonumber(f[8] or '0') + requests })
		end
		if rejections > 0 then
			prepend(set, { 'rj', tonumber(f[9] or '0') + rejections })
		end
		redis.call('HSET', rec, unpack(set))
		redis.call('PEXPIRE', rec, ttl)
		redis.call('PEXPIRE', leases, ttl)
	end
	local max = tonumber(A[6])
	-- leases past their deadline do not count (the sweep removes them)
	if max > 0 and redis.call('ZCOUNT', leases, '(' .. fmt(nowms), '+inf') >= max then
		touch(0, 1)
		return { 'rejected', 'session-concurrency', 0, fmt(nowms) }
	end
	local capacity = tonumber(A[7])
	local remaining = -1
	if capacity > 0 then
		local perToken = tonumber(A[8]) / capacity
		local tokens = capacity
		if f[6] then
			local elapsed = math.max(0, now - tonumber(f[7]))
			tokens = math.min(capacity, tonumber(f[6]) + elapsed / perToken)
		end
		if tokens < 1 then
			prepend(set, { 'tk', string.format('%.17g', tokens), 'tr', fmt(now) })
			touch(0, 1)
			return { 'rejected', 'rate', fmt(math.max(1, math.ceil((1 - tokens) * perToken))), fmt(nowms) }
		end
		prepend(set, { 'tk', string.format('%.17g', tokens - 1), 'tr', fmt(now) })
		remaining = math.floor(tokens - 1)
	end
	redis.call('ZADD', leases, fmt(nowms + lease), A[10])
	touch(1, 0)
	return { 'admitted', f[4] or '', created, remaining, fmt(nowms) }
end
