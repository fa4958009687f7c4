-- SessionGate: helpers prepended to every script.
-- Arguments come as name/value pairs (ARGV[1] says how many), optionally followed by a list;
-- replies are name/value pairs. RedisScripts (Java) writes the one and reads the other by name.
-- Session record (hash) fields: tn tenant ('' none, 't:<tenant>'), u user, st status, rs end reason,
-- c created (us), l last activity (us), e ended (us), it idle timeout (ms), rq requests, er errors,
-- rj rejections, tt total processing (ns), mx max processing (ns), tk tokens, tr bucket refill time (us),
-- dv device id, ip client address (as the inventory policy keeps it), ua user agent (each absent when
-- unknown; bounded by SessionOrigin before they get here).
-- Leases (sorted set): member lease id, score lease deadline (ms).
-- Numbers go to redis.call as Lua numbers: Redis writes them with %.17g, exact for integers up
-- to 2^53 (times in microseconds included), and string.format costs more than the command.

-- the named arguments, and where in ARGV the list after them starts
local function named()
	local A = {}
	local n = tonumber(ARGV[1])
	for i = 2, 2 * n, 2 do
		A[ARGV[i]] = ARGV[i + 1]
	end
	return A, 2 * n + 2
end

local function clock()
	local t = redis.call('TIME')
	local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
	return now, math.floor(now / 1000)
end

-- appends the items of list to out; returns out
local function append(out, list)
	for i = 1, #list do
		out[#out + 1] = list[i]
	end
	return out
end

-- sets a TTL that never shortens the current one (-1: none, -2: missing)
local function extend(key, ms)
	local current = redis.call('PTTL', key)
	if current == -2 then
		return
	end
	if current < 0 or current < ms then
		redis.call('PEXPIRE', key, ms)
	end
end

-- whether a session created at created (us) is past the absolute timeout (ms, 0 none) at now (us)
local function over_age(created, absolute, now)
	return absolute > 0 and now - created >= absolute * 1000
end

-- the token bucket: tokens after refilling since refilled (us) at now (us), capped at capacity;
-- tokens is nil for a full bucket. Returns the tokens left after taking one (or without taking
-- one when fewer than one), whether one was taken, and the wait for the next one (us)
local function take_token(tokens, refilled, now, capacity, period)
	local per_token = period / capacity
	local available = capacity
	if tokens then
		available = math.min(capacity, tokens + math.max(0, now - refilled) / per_token)
	end
	if available < 1 then
		return available, false, math.max(1, math.ceil((1 - available) * per_token))
	end
	return available - 1, true, 0
end

-- a record's stats as name/value pairs
local function stats(rec, leases, nowms)
	local f = redis.call('HMGET', rec, 'tn', 'u', 'st', 'rs', 'c', 'l', 'e', 'rq', 'er', 'rj', 'tt', 'mx', 'dv', 'ip',
		'ua')
	local active = redis.call('ZCOUNT', leases, '(' .. nowms, '+inf')
	return { 'tenant', f[1] or '', 'user', f[2] or '', 'status', f[3] or '', 'reason', f[4] or '',
		'created', f[5] or '0', 'last', f[6] or '0', 'ended', f[7] or '', 'active', active,
		'requests', f[8] or '0', 'errors', f[9] or '0', 'rejections', f[10] or '0', 'total', f[11] or '0',
		'max', f[12] or '0', 'device', f[13] or '', 'ip', f[14] or '', 'agent', f[15] or '' }
end

-- records where a session comes from (A.device, A.ip, A.agent; '' unknown): replaces what was there
local function set_origin(rec, A)
	local set, del = {}, {}
	local fields, values = { 'dv', 'ip', 'ua' }, { A.device or '', A.ip or '', A.agent or '' }
	for i = 1, 3 do
		if values[i] ~= '' then
			append(set, { fields[i], values[i] })
		else
			del[#del + 1] = fields[i]
		end
	end
	if #set > 0 then
		redis.call('HSET', rec, unpack(set))
	end
	if #del > 0 then
		redis.call('HDEL', rec, unpack(del))
	end
end

-- creates a live session's record from A.tenant, A.created (us), A.idle (ms) and its origin;
-- returns its creation time (us; never later than now)
local function create_record(rec, A, now)
	local c = math.min(tonumber(A.created), now)
	redis.call('HSET', rec, 'tn', A.tenant, 'st', 'ACTIVE', 'c', c, 'l', now, 'it', A.idle,
		'rq', 0, 'er', 0, 'rj', 0, 'tt', 0, 'mx', 0)
	set_origin(rec, A)
	return c
end

-- ends a live session, keeping it for the history retention (ms); returns its stats
local function finish(rec, leases, status, reason, now, nowms, retention)
	redis.call('HSET', rec, 'st', status, 'rs', reason, 'e', now)
	local result = stats(rec, leases, nowms)
	local keep = math.max(retention, 1)
	redis.call('PEXPIRE', rec, keep)
	redis.call('PEXPIRE', leases, keep)
	return result
end

-- renames a sorted set member, keeping its score and the key's TTL
local function rename_member(key, old, new)
	local score = redis.call('ZSCORE', key, old)
	if score then
		local ttl = redis.call('PTTL', key)
		redis.call('ZREM', key, old)
		redis.call('ZADD', key, score, new)
		if ttl > 0 then
			redis.call('PEXPIRE', key, ttl)
		end
	end
end

-- adds a session to a live index and counts it under its tenant; returns 1 when it was not there
local function add_counted(live, count, score, member, tenant)
	if redis.call('ZADD', live, 'NX', score, member) == 0 then
		return 0
	end
	redis.call('HINCRBY', count, tenant, 1)
	return 1
end

-- removes a session from a live index and from its tenant's count; returns 1 when it was there
local function remove_counted(live, count, member, tenant)
	if redis.call('ZREM', live, member) == 0 then
		return 0
	end
	if redis.call('HINCRBY', count, tenant, -1) <= 0 then
		redis.call('HDEL', count, tenant)
	end
	return 1
end
