-- Records the user bound to a live session. KEYS: 1 record; ARGV: 1 user id
-- Returns {'gone'} | {'ok', previous user or ''}
local f = redis.call('HMGET', KEYS[1], 'st', 'u')
if f[1] ~= 'ACTIVE' then
	return { 'gone' }
end
redis.call('HSET', KEYS[1], 'u', ARGV[1])
return { 'ok', f[2] or '' }
