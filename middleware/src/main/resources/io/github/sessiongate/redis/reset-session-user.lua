-- Undoes set-session-user after a refused bind, unless the session was bound again meanwhile.
-- KEYS: 1 record. A: user (set before), previous ('' none). Reply: reset (1 when undone)
local A = named()
if redis.call('HGET', KEYS[1], 'u') ~= A.user then
	return { 'reset', 0 }
end
if A.previous == '' then
	redis.call('HDEL', KEYS[1], 'u')
else
	redis.call('HSET', KEYS[1], 'u', A.previous)
end
return { 'reset', 1 }
