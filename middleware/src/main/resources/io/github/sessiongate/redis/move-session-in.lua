-- Second half of a session id change: writes the state under the new id.
-- KEYS: 1 record, 2 leases. A: ttl (ms), fields (how many record items the list starts with)
-- The list: the record's fields and values, then lease ids and deadlines. Reply: moved 1
local A, list = named()
local rec, leases = KEYS[1], KEYS[2]
local n = tonumber(A.fields)
redis.call('DEL', rec, leases)
if n > 0 then
	redis.call('HSET', rec, unpack(ARGV, list, list + n - 1))
end
for i = list + n, #ARGV, 2 do
	redis.call('ZADD', leases, ARGV[i + 1], ARGV[i])
end
if tonumber(A.ttl) > 0 then
	redis.call('PEXPIRE', rec, A.ttl)
	redis.call('PEXPIRE', leases, A.ttl)
end
return { 'moved', 1 }
