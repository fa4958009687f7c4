-- Records the application metadata a live session keeps (replacing what it kept).
-- KEYS: 1 record. A: md (the entries, encoded by RedisScripts; '' for none), max (longest md accepted)
-- Reply: recorded (0 when the session is unknown or ended)
local A = named()
if redis.call('HGET', KEYS[1], 'st') ~= 'ACTIVE' then
	return { 'recorded', 0 }
end
if #A.md > tonumber(A.max) then
	return redis.error_reply('metadata beyond its bound')
end
if A.md == '' then
	redis.call('HDEL', KEYS[1], 'md')
else
	redis.call('HSET', KEYS[1], 'md', A.md)
end
return { 'recorded', 1 }
