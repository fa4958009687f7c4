-- Closes a stream: frees its lease and moves the session's last activity forward (never back).
-- KEYS: 1 record, 2 streams. A: streamId. Reply: released (1 when the lease was there)
local A = named()
local released = redis.call('ZREM', KEYS[2], A.streamId)
local f = redis.call('HMGET', KEYS[1], 'st', 'l')
if f[1] == 'ACTIVE' then
	local now = clock()
	if now > tonumber(f[2] or '0') then
		redis.call('HSET', KEYS[1], 'l', now)
	end
end
return { 'released', released }
