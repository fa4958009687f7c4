-- Removes a session's index entries from its old shard after a session id change.
-- KEYS: 1 live index, 2 live count per tenant, 3 history; ARGV: 1 member, 2 tenant, 3 session id
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
	if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
		redis.call('HDEL', KEYS[2], ARGV[2])
	end
end
redis.call('ZREM', KEYS[3], ARGV[3])
return { 1 }
