-- Admits a stream (server-sent events, a WebSocket, a long poll) of a live session. A stream holds a
-- lease in the session's stream set, not in its lease set: it never counts against the concurrency
-- limit, only against its own. It takes one rate token.
-- KEYS: 1 record, 2 streams (sorted set: member stream id, score lease deadline ms).
-- A: tenant, absolute (ms, 0 none), max (streams, 0 none), capacity (rate, 0 none), period (rate
--   refill, us), lease (ms), streamId, keep (how long a live record outlives its idle timeout, ms),
--   create ('1' to create a missing record, once the session was counted in its index), created (us),
--   idle (ms), device, ip, agent (the origin recorded when the record is created)
-- Reply kind: absent | foreign | ended | over-age | rejected (limit, wait us)
--   | admitted (user, tokens, created)
local A = named()
local rec, streams = KEYS[1], KEYS[2]
local now, nowms = clock()
local f = redis.call('HMGET', rec, 'tn', 'st', 'c', 'u', 'tk', 'tr', 'rj', 'sc', 'it')
local created = 0
if not f[2] then
	if A.create ~= '1' then
		return { 'kind', 'absent' }
	end
	local c = create_record(rec, A, now)
	f = { A.tenant, 'ACTIVE', c, false, false, false, '0', '0', A.idle }
	created = 1
end
if f[1] ~= A.tenant then
	return { 'kind', 'foreign' }
end
if f[2] ~= 'ACTIVE' then
	return { 'kind', 'ended' }
end
if over_age(tonumber(f[3]), tonumber(A.absolute), now) then
	return { 'kind', 'over-age' }
end
local lease = tonumber(A.lease)
local ttl = math.max(tonumber(f[9] or '0') + tonumber(A.keep), lease)
local set = { 'l', now }
local function touch(field, count)
	append(set, { field, tonumber(count or '0') + 1 })
	redis.call('HSET', rec, unpack(set))
	extend(rec, ttl)
end
-- leases past their deadline (a node that crashed) do not count
redis.call('ZREMRANGEBYSCORE', streams, '-inf', nowms)
local max = tonumber(A.max)
if max > 0 and redis.call('ZCARD', streams) >= max then
	touch('rj', f[7])
	return { 'kind', 'rejected', 'limit', 'session-streams', 'wait', 0 }
end
local capacity = tonumber(A.capacity)
local remaining = -1
if capacity > 0 then
	local tokens, taken, wait = take_token(tonumber(f[5]), tonumber(f[6]), now, capacity, tonumber(A.period))
	append(set, { 'tk', tokens, 'tr', now })
	if not taken then
		touch('rj', f[7])
		return { 'kind', 'rejected', 'limit', 'rate', 'wait', wait }
	end
	remaining = math.floor(tokens)
end
redis.call('ZADD', streams, nowms + lease, A.streamId)
redis.call('PEXPIRE', streams, ttl)
touch('sc', f[8])
return { 'kind', 'admitted', 'user', f[4] or '', 'tokens', remaining, 'created', created }
