-- Undoes set-user after a refused bind, unless the session was bound again meanwhile.
-- KEYS: 1 record; ARGV: 1 user id set before, 2 previous user id ('' none)
if redis.call('HGET', KEYS[1], 'u') == ARGV[1] then
	if ARGV[2] == '' then
		redis.call('HDEL', KEYS[1], 'u')
	else
		redis.call('HSET', KEYS[1], 'u', ARGV[2])
	end
end
return { 1 }
