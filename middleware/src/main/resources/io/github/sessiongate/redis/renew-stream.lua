-- Renews an open stream: extends its lease, moves the session's last activity forward (so the sweep
-- never finds it idle) and keeps the record alive. This is how a node learns that a session with a
-- stream it holds ended on another node.
-- KEYS: 1 record, 2 streams, 3 moved. A: streamId, lease (ms), absolute (ms, 0 none), keep (ms)
-- Reply kind: live | ended | over-age | moved (to: the new id after a rotation) | gone
local A = named()
local rec, streams = KEYS[1], KEYS[2]
local f = redis.call('HMGET', rec, 'st', 'c', 'l', 'it')
if not f[1] then
	local to = redis.call('GET', KEYS[3])
	if to then
		return { 'kind', 'moved', 'to', to }
	end
	return { 'kind', 'gone' }
end
if f[1] ~= 'ACTIVE' then
	redis.call('ZREM', streams, A.streamId)
	return { 'kind', 'ended' }
end
local now, nowms = clock()
if over_age(tonumber(f[2]), tonumber(A.absolute), now) then
	return { 'kind', 'over-age' }
end
local lease = tonumber(A.lease)
redis.call('ZADD', streams, nowms + lease, A.streamId)
if now > tonumber(f[3] or '0') then
	redis.call('HSET', rec, 'l', now)
end
local ttl = math.max(tonumber(f[4] or '0') + tonumber(A.keep), lease)
extend(rec, ttl)
extend(streams, ttl)
return { 'kind', 'live' }
