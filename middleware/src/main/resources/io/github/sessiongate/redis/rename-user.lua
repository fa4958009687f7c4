-- Follows a session id change in a user's index. KEYS: 1 live, 2 ended; ARGV: 1 old id, 2 new id
for _, key in ipairs(KEYS) do
	local score = redis.call('ZSCORE', key, ARGV[1])
	if score then
		local ttl = redis.call('PTTL', key)
		redis.call('ZREM', key, ARGV[1])
		redis.call('ZADD', key, score, ARGV[2])
		if ttl > 0 then
			redis.call('PEXPIRE', key, ttl)
		end
	end
end
return { 1 }
