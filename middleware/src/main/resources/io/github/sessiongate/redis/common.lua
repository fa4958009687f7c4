-- SessionGate: helpers prepended to every script.
-- Session record (hash) fields: tn tenant ('' none, 't:<tenant>'), u user, st status, rs end reason,
-- c created (us), l last activity (us), e ended (us), it idle timeout (ms), rq requests, er errors,
-- rj rejections, tt total processing (ns), mx max processing (ns), tk tokens, tr bucket refill time (us).
-- Leases (sorted set): member lease id, score lease deadline (ms).
local function fmt(n)
	return string.format('%.0f', n)
end

local function clock()
	local t = redis.call('TIME')
	local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
	return now, math.floor(now / 1000)
end

-- sets a TTL that never shortens the current one (-1: none, -2: missing)
local function extend(key, ms)
	local current = redis.call('PTTL', key)
	if current == -2 then
		return
	end
	if current < 0 or current < ms then
		redis.call('PEXPIRE', key, fmt(ms))
	end
end

local function stats(rec, leases, nowms)
	local f = redis.call('HMGET', rec, 'tn', 'u', 'st', 'rs', 'c', 'l', 'e', 'rq', 'er', 'rj', 'tt', 'mx')
	local active = redis.call('ZCOUNT', leases, '(' .. fmt(nowms), '+inf')
	return { f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '0', f[6] or '0', f[7] or '',
		tostring(active), f[8] or '0', f[9] or '0', f[10] or '0', f[11] or '0', f[12] or '0' }
end

-- ends a live session; ttl is the history retention in ms
local function finish(rec, leases, status, reason, now, nowms, retention)
	redis.call('HSET', rec, 'st', status, 'rs', reason, 'e', fmt(now))
	local result = stats(rec, leases, nowms)
	local keep = math.max(retention, 1)
	redis.call('PEXPIRE', rec, fmt(keep))
	if redis.call('EXISTS', leases) == 1 then
		redis.call('PEXPIRE', leases, fmt(keep))
	end
	return result
end

local function prepend(head, list)
	local out = head
	for i = 1, #list do
		out[#out + 1] = list[i]
	end
	return out
end
