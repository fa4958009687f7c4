-- The end of a request, shared by end.lua and end-save.lua: releases its lease and records
-- its outcome.
-- A (arguments): 1 lease id, 2 duration (ns), 3 error ('1'/'0'), 4 how long a live record
--       outlives its idle timeout (ms), 5 lease time (ms)
-- Returns {'ok', released} | {'moved', new id} | {'gone'}
local function request_end(rec, leases, moved, A, now)
	local released = redis.call('ZREM', leases, A[1])
	local f = redis.call('HMGET', rec, 'mx', 'st', 'it', 'tt', 'er')
	if not f[2] then
		local to = redis.call('GET', moved)
		if to then
			return { 'moved', to }
		end
		return { 'gone' }
	end
	-- one HSET writes the outcome (a script runs alone: no lost update)
	local duration = tonumber(A[2])
	local set = { 'l', fmt(now), 'tt', fmt(tonumber(f[4] or '0') + duration) }
	if A[3] == '1' then
		prepend(set, { 'er', tonumber(f[5] or '0') + 1 })
	end
	if duration > tonumber(f[1] or '0') then
		prepend(set, { 'mx', A[2] })
	end
	redis.call('HSET', rec, unpack(set))
	if f[2] == 'ACTIVE' then
		-- the lease set keeps the TTL its last admission gave it (and is gone when empty)
		redis.call('PEXPIRE', rec, fmt(math.max(tonumber(f[3] or '0') + tonumber(A[4]), tonumber(A[5]))))
	end
	return { 'ok', released }
end
