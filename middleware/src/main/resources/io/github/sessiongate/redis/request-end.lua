-- The end of a request, shared by end-request.lua and end-request-and-save.lua: releases its lease
-- and records its outcome.
-- A (named): leaseId, duration (ns), error ('1'/'0'), keep (how long a live record outlives its idle
--   timeout, ms), lease (ms)
-- Reply kind: ok (released) | moved (to: the new id) | gone
local function request_end(rec, leases, moved, A, now)
	local released = redis.call('ZREM', leases, A.leaseId)
	local f = redis.call('HMGET', rec, 'mx', 'st', 'it', 'tt', 'er')
	if not f[2] then
		local to = redis.call('GET', moved)
		if to then
			return { 'kind', 'moved', 'to', to }
		end
		return { 'kind', 'gone' }
	end
	-- one HSET writes the outcome (a script runs alone: no lost update)
	local duration = tonumber(A.duration)
	local set = { 'l', now, 'tt', tonumber(f[4] or '0') + duration }
	if A.error == '1' then
		append(set, { 'er', tonumber(f[5] or '0') + 1 })
	end
	if duration > tonumber(f[1] or '0') then
		append(set, { 'mx', A.duration })
	end
	redis.call('HSET', rec, unpack(set))
	local keep = tonumber(A.keep)
	if f[2] == 'ACTIVE' and duration > keep * 500000 then
		-- the admission gave the record idle + keep from its start: after a request shorter
		-- than keep / 2 that still outlives the idle timeout by keep / 2, so only a long one
		-- needs a new TTL (the lease set keeps the TTL its last admission gave it)
		redis.call('PEXPIRE', rec, math.max(tonumber(f[3] or '0') + keep, tonumber(A.lease)))
	end
	return { 'kind', 'ok', 'released', released }
end
