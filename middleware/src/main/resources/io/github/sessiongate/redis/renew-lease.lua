-- Extends the lease of a request still in progress. KEYS: 1 leases. A: leaseId, lease (ms)
-- Reply: renewed (1 when the lease was still there)
local A = named()
local _, nowms = clock()
local changed = redis.call('ZADD', KEYS[1], 'XX', 'CH', nowms + tonumber(A.lease), A.leaseId)
if changed == 1 then
	extend(KEYS[1], tonumber(A.lease))
end
return { 'renewed', changed }
