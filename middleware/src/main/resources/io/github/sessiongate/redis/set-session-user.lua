-- Records the user bound to a live session. KEYS: 1 record. A: user, login ('1': the login's origin
-- replaces the session's), device, ip, agent
-- Reply kind: gone | ok (previous: the user bound before, '' none)
local A = named()
local f = redis.call('HMGET', KEYS[1], 'st', 'u')
if f[1] ~= 'ACTIVE' then
	return { 'kind', 'gone' }
end
redis.call('HSET', KEYS[1], 'u', A.user)
if A.login == '1' then
	set_origin(KEYS[1], A)
end
return { 'kind', 'ok', 'previous', f[2] or '' }
