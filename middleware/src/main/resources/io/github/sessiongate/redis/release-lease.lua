-- Frees the lease of a request this node gave up on: its admission timed out in the client (and may
-- still run when Redis answers again), its end failed, or the node shuts down.
-- KEYS: 1 record, 2 leases. A: leaseId, mark ('1' to leave a mark when the lease is not there (yet):
-- an admission that arrives later with this lease id then takes nothing)
-- Reply: released (1 when a lease was freed)
local A = named()
if redis.call('ZREM', KEYS[2], A.leaseId) == 1 then
	return { 'released', 1 }
end
if A.mark == '1' and redis.call('HEXISTS', KEYS[1], 'st') == 1 then
	redis.call('HSET', KEYS[1], 'x:' .. A.leaseId, '1')
end
return { 'released', 0 }
