-- Releases a lease and records the outcome: one round trip at request end.
-- KEYS: 1 record, 2 leases, 3 moved pointer
-- ARGV: 1 lease id, 2 duration (ns), 3 error ('1'/'0'), 4 how long a live record outlives its idle
--       timeout (ms), 5 lease time (ms)
-- Returns {'ok'} | {'moved', new id} | {'gone'}
local rec, leases = KEYS[1], KEYS[2]
local now = clock()
local released = redis.call('ZREM', leases, ARGV[1])
if redis.call('EXISTS', rec) == 0 then
	local to = redis.call('GET', KEYS[3])
	if to then
		return { 'moved', to }
	end
	return { 'gone' }
end
local duration = tonumber(ARGV[2])
redis.call('HINCRBY', rec, 'tt', ARGV[2])
local f = redis.call('HMGET', rec, 'mx', 'st', 'it')
if duration > tonumber(f[1] or '0') then
	redis.call('HSET', rec, 'mx', ARGV[2])
end
if ARGV[3] == '1' then
	redis.call('HINCRBY', rec, 'er', 1)
end
redis.call('HSET', rec, 'l', fmt(now))
if f[2] == 'ACTIVE' then
	local ttl = math.max(tonumber(f[3] or '0') + tonumber(ARGV[4]), tonumber(ARGV[5]))
	redis.call('PEXPIRE', rec, fmt(ttl))
	if redis.call('EXISTS', leases) == 1 then
		redis.call('PEXPIRE', leases, fmt(ttl))
	end
end
return { 'ok', released }
