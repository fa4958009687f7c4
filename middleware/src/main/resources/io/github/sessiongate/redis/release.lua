-- Frees the lease of a request this node gave up on: its begin script timed out in the client
-- (and may still run when Redis answers again), its end failed, or the node shuts down.
-- KEYS: 1 record, 2 leases; ARGV: 1 lease id, 2 '1' to leave a mark when the lease is not there
-- (yet): a begin script that arrives later with this lease id then takes nothing
-- Returns {1} when a lease was freed, {0} otherwise
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
	return { 1 }
end
if ARGV[2] == '1' and redis.call('HEXISTS', KEYS[1], 'st') == 1 then
	redis.call('HSET', KEYS[1], 'x:' .. ARGV[1], '1')
end
return { 0 }
