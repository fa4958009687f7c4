-- Adds a session to a user's index, enforcing the sessions-per-user limit atomically.
-- KEYS: 1 live sessions of the user (sorted set, score bind time ms), 2 ended sessions of the user
-- ARGV: 1 session id, 2 max (0 none), 3 policy ('reject-new'/'end-oldest'), 4 ttl (ms),
--       then per known member: id, state ('live'/'ended'/'gone'), last activity (us)
-- Returns {'rejected'} | {'bound', sessions to end...}
local live, ended = KEYS[1], KEYS[2]
local sid = ARGV[1]
local max = tonumber(ARGV[2])
local now, nowms = clock()
local last = {}
for i = 5, #ARGV, 3 do
	local member, state = ARGV[i], ARGV[i + 1]
	if state == 'gone' then
		redis.call('ZREM', live, member)
		redis.call('ZREM', ended, member)
	elseif state == 'ended' then
		if redis.call('ZREM', live, member) == 1 then
			redis.call('ZADD', ended, fmt(nowms), member)
		end
	else
		last[member] = tonumber(ARGV[i + 2])
	end
end
local members = redis.call('ZRANGE', live, 0, -1, 'WITHSCORES')
local others = {}
for i = 1, #members, 2 do
	local member = members[i]
	if member ~= sid then
		others[#others + 1] = { member, last[member] or tonumber(members[i + 1]) * 1000 }
	end
end
local result = { 'bound' }
if max > 0 and #others >= max then
	if ARGV[3] == 'reject-new' then
		return { 'rejected' }
	end
	table.sort(others, function(a, b)
		return a[2] < b[2]
	end)
	for i = 1, #others - max + 1 do
		local member = others[i][1]
		redis.call('ZREM', live, member)
		redis.call('ZADD', ended, fmt(nowms), member)
		result[#result + 1] = member
	end
end
redis.call('ZADD', live, fmt(nowms), sid)
redis.call('ZREM', ended, sid)
local ttl = tonumber(ARGV[4])
extend(live, ttl)
extend(ended, ttl)
return result
