-- Admission, shared by admit-request.lua and load-and-admit.lua.
-- A (named): tenant, created (us), idle (ms), retention (ms), absolute (ms, 0 none),
--   concurrency (max, 0 none), capacity (rate, 0 none), period (rate refill, us), lease (ms),
--   leaseId, create ('1' to create a missing record), deadline (Redis time ms, 0 none),
--   keep (how long a live record outlives its idle timeout, ms), device, ip, agent (the origin
--   recorded when the record is created, '' unknown)
-- Reply kind: absent | foreign | ended (endedNow, stats) | rejected (limit, wait us, now ms)
--   | admitted (user, created, tokens left, now ms) | late (now ms) | cancelled
local function admit(rec, leases, A, now, nowms)
	-- a request whose node stopped waiting for this reply must not take a permit
	local deadline = tonumber(A.deadline)
	if deadline > 0 and nowms > deadline then
		return { 'kind', 'late', 'now', nowms }
	end
	local mark = 'x:' .. A.leaseId
	local f = redis.call('HMGET', rec, 'tn', 'st', 'c', 'u', mark, 'tk', 'tr', 'rq', 'rj')
	if f[5] then
		-- the node gave up on this request and released its lease before it was taken
		redis.call('HDEL', rec, mark)
		return { 'kind', 'cancelled' }
	end
	local lease = tonumber(A.lease)
	local ttl = math.max(tonumber(A.idle) + tonumber(A.keep), lease)
	local created = 0
	if not f[2] then
		if A.create ~= '1' then
			return { 'kind', 'absent' }
		end
		local c = create_record(rec, A, now)
		f = { A.tenant, 'ACTIVE', c, false, false, false, false, '0', '0' }
		created = 1
	end
	if f[1] ~= A.tenant then
		return { 'kind', 'foreign' }
	end
	if f[2] ~= 'ACTIVE' then
		return append({ 'kind', 'ended', 'endedNow', 0 }, stats(rec, leases, nowms))
	end
	if over_age(tonumber(f[3]), tonumber(A.absolute), now) then
		local ended = finish(rec, leases, 'EXPIRED', 'absolute-timeout', now, nowms, tonumber(A.retention))
		return append({ 'kind', 'ended', 'endedNow', 1 }, ended)
	end
	-- one HSET writes what this request changes in the record (a script runs alone: no lost update)
	local set = { 'l', now, 'it', A.idle }
	local function touch(field, count)
		append(set, { field, tonumber(count or '0') + 1 })
		redis.call('HSET', rec, unpack(set))
		redis.call('PEXPIRE', rec, ttl)
		redis.call('PEXPIRE', leases, ttl)
	end
	local max = tonumber(A.concurrency)
	-- leases past their deadline do not count (the sweep removes them)
	if max > 0 and redis.call('ZCOUNT', leases, '(' .. nowms, '+inf') >= max then
		touch('rj', f[9])
		return { 'kind', 'rejected', 'limit', 'session-concurrency', 'wait', 0, 'now', nowms }
	end
	local capacity = tonumber(A.capacity)
	local remaining = -1
	if capacity > 0 then
		local tokens, taken, wait = take_token(tonumber(f[6]), tonumber(f[7]), now, capacity, tonumber(A.period))
		append(set, { 'tk', tokens, 'tr', now })
		if not taken then
			touch('rj', f[9])
			return { 'kind', 'rejected', 'limit', 'rate', 'wait', wait, 'now', nowms }
		end
		remaining = math.floor(tokens)
	end
	redis.call('ZADD', leases, nowms + lease, A.leaseId)
	touch('rq', f[8])
	return { 'kind', 'admitted', 'user', f[4] or '', 'created', created, 'tokens', remaining, 'now', nowms }
end
