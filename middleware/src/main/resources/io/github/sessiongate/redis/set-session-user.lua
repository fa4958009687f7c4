-- Records the user bound to a live session. KEYS: 1 record. A: user
-- Reply kind: gone | ok (previous: the user bound before, '' none)
local A = named()
local f = redis.call('HMGET', KEYS[1], 'st', 'u')
if f[1] ~= 'ACTIVE' then
	return { 'kind', 'gone' }
end
redis.call('HSET', KEYS[1], 'u', A.user)
return { 'kind', 'ok', 'previous', f[2] or '' }
