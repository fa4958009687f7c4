-- The end of a request, shared by end.lua and end-save.lua: releases its lease and records
-- its outcome.
-- A (arguments): 1 lease id, 2 duration (ns), 3 error ('1'/'0'), 4 how long a live record
--       outlives its idle timeout (ms), 5 lease time (ms)
-- Returns {'ok', released} | {'moved', new id} | {'gone'}
local function request_end(rec, leases, moved, A, now)
	local released = redis.call('ZREM', leases, A[1])
	local f = redis.call('HMGET', rec, 'mx', 'st', 'it')
	if not f[2] then
		local to = redis.call('GET', moved)
		if to then
			return { 'moved', to }
		end
		return { 'gone' }
	end
	redis.call('HINCRBY', rec, 'tt', A[2])
	if A[3] == '1' then
		redis.call('HINCRBY', rec, 'er', 1)
	end
	if tonumber(A[2]) > tonumber(f[1] or '0') then
		redis.call('HSET', rec, 'l', fmt(now), 'mx', A[2])
	else
		redis.call('HSET', rec, 'l', fmt(now))
	end
	if f[2] == 'ACTIVE' then
		local ttl = fmt(math.max(tonumber(f[3] or '0') + tonumber(A[4]), tonumber(A[5])))
		redis.call('PEXPIRE', rec, ttl)
		redis.call('PEXPIRE', leases, ttl)
	end
	return { 'ok', released }
end
