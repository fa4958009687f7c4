-- Follows a session id change in the tenant indexes. KEYS: 1 live index, 2 history
-- ARGV: 1 old member, 2 new member, 3 old id, 4 new id
local function rename(key, old, new)
	local score = redis.call('ZSCORE', key, old)
	if score then
		local ttl = redis.call('PTTL', key)
		redis.call('ZREM', key, old)
		redis.call('ZADD', key, score, new)
		if ttl > 0 then
			redis.call('PEXPIRE', key, ttl)
		end
	end
end
rename(KEYS[1], ARGV[1], ARGV[2])
rename(KEYS[2], ARGV[3], ARGV[4])
return { 1 }
