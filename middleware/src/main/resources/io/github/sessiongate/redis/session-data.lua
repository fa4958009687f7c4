-- The session data of SessionGateRedisSessionRepository: a hash next to the session's record
-- (same hash tag). Fields: creationTime (ms), lastAccessedTime (ms), maxInactiveInterval (s),
-- as decimal text, and sessionAttr:<name>, serialized by the repository's serializer.

-- reads live session data: the fields, or nil when there is none or it has expired (it is
-- then deleted, as Spring Session's repositories do)
local function load_data(data, nowms)
	local h = redis.call('HGETALL', data)
	if #h == 0 then
		return nil
	end
	local last, max
	for i = 1, #h, 2 do
		if h[i] == 'lastAccessedTime' then
			last = tonumber(h[i + 1])
		elseif h[i] == 'maxInactiveInterval' then
			max = tonumber(h[i + 1])
		end
	end
	if not last or not max then
		return nil
	end
	if max >= 0 and last + max * 1000 <= nowms then
		redis.call('DEL', data)
		return nil
	end
	return h
end

-- writes session changes. A (named): mode ('new' / 'update': update writes only when the data
-- still exists, so a deleted session is not brought back), expireAt (ms, 0 none), deletes (how many
-- fields to delete); ARGV from list on: the fields to delete, then field/value pairs to set.
-- Returns 1 when written, 0 when the session was gone
local function save_data(data, A, list)
	if A.mode ~= 'new' and redis.call('EXISTS', data) == 0 then
		return 0
	end
	local deletes = tonumber(A.deletes)
	local at = list
	if deletes > 0 then
		redis.call('HDEL', data, unpack(ARGV, at, at + deletes - 1))
		at = at + deletes
	end
	if at <= #ARGV then
		redis.call('HSET', data, unpack(ARGV, at, #ARGV))
	end
	if A.expireAt ~= '0' then
		redis.call('PEXPIREAT', data, A.expireAt)
	else
		redis.call('PERSIST', data)
	end
	return 1
end
