-- First half of a session id change: takes the state away from the old id and leaves a pointer
-- for requests still in progress.
-- KEYS: 1 record, 2 leases, 3 moved pointer. A: newId, pointer (its lifetime, ms)
-- Reply kind: gone | moved (ttl ms, record: fields and values, leases: ids and deadlines)
local A = named()
local rec, leases = KEYS[1], KEYS[2]
if redis.call('EXISTS', rec) == 0 then
	return { 'kind', 'gone' }
end
local ttl = redis.call('PTTL', rec)
local record = redis.call('HGETALL', rec)
local held = redis.call('ZRANGE', leases, 0, -1, 'WITHSCORES')
redis.call('DEL', rec, leases)
redis.call('SET', KEYS[3], A.newId, 'PX', A.pointer)
return { 'kind', 'moved', 'ttl', ttl, 'record', record, 'leases', held }
