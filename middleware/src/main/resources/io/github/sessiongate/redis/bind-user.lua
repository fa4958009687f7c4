-- Adds a session to a user's index, enforcing the sessions-per-user limit atomically.
-- KEYS: 1 live sessions of the user (sorted set, score bind time ms), 2 ended sessions of the user
-- A: sessionId, max (0 none), policy ('reject-new'/'end-oldest'), ttl (ms)
-- The list: per known session of the user: id, state ('live'/'ended'/'gone'), last activity (us)
-- Reply kind: rejected | bound (ended: the sessions to end)
local A, list = named()
local live, ended = KEYS[1], KEYS[2]
local max = tonumber(A.max)
local now, nowms = clock()
local last = {}
for i = list, #ARGV, 3 do
	local member, state = ARGV[i], ARGV[i + 1]
	if state == 'gone' then
		redis.call('ZREM', live, member)
		redis.call('ZREM', ended, member)
	elseif state == 'ended' then
		if redis.call('ZREM', live, member) == 1 then
			redis.call('ZADD', ended, nowms, member)
		end
	else
		last[member] = tonumber(ARGV[i + 2])
	end
end
local members = redis.call('ZRANGE', live, 0, -1, 'WITHSCORES')
local others = {}
for i = 1, #members, 2 do
	local member = members[i]
	if member ~= A.sessionId then
		others[#others + 1] = { member, last[member] or tonumber(members[i + 1]) * 1000 }
	end
end
local ending = {}
if max > 0 and #others >= max then
	if A.policy == 'reject-new' then
		return { 'kind', 'rejected' }
	end
	table.sort(others, function(a, b)
		return a[2] < b[2]
	end)
	for i = 1, #others - max + 1 do
		local member = others[i][1]
		redis.call('ZREM', live, member)
		redis.call('ZADD', ended, nowms, member)
		ending[#ending + 1] = member
	end
end
redis.call('ZADD', live, nowms, A.sessionId)
redis.call('ZREM', ended, A.sessionId)
local ttl = tonumber(A.ttl)
extend(live, ttl)
extend(ended, ttl)
return { 'kind', 'bound', 'ended', ending }
