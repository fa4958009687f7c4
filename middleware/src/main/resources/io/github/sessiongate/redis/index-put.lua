-- Adds a session's index entries in its new shard after a session id change (before they are
-- taken from the old one, so a crash in between leaves an entry the sweep drops, never none).
-- KEYS: 1 live index, 2 live count per tenant, 3 history
-- ARGV: 1 member, 2 tenant, 3 live score ('' none), 4 session id, 5 history score ('' none), 6 ttl (ms)
local ttl = tonumber(ARGV[6])
if ARGV[3] ~= '' and redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) == 1 then
	redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
	extend(KEYS[1], ttl)
	extend(KEYS[2], ttl)
end
if ARGV[5] ~= '' then
	redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
	extend(KEYS[3], ttl)
end
return { 1 }
