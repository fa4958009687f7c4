-- Records application metadata a live session keeps: sets the entries given, removes those given
-- an empty value, keeps the others. KEYS: 1 record. A: max (longest md, bytes), entries (most
-- entries kept); the list: pairs of key and value. The record's md field holds the entries as
-- key US value, apart by RS (keys and values hold no control characters).
-- Reply: recorded (0 when the session is unknown or ended), refused (1, writing nothing, past a bound)
local A, list = named()
local f = redis.call('HMGET', KEYS[1], 'st', 'md')
if f[1] ~= 'ACTIVE' then
	return { 'recorded', 0, 'refused', 0 }
end
local order, values = {}, {}
for entry in string.gmatch(f[2] or '', '[^\30]+') do
	local sep = string.find(entry, '\31', 1, true)
	if sep then
		local key = string.sub(entry, 1, sep - 1)
		order[#order + 1] = key
		values[key] = string.sub(entry, sep + 1)
	end
end
for i = list, #ARGV, 2 do
	local key, value = ARGV[i], ARGV[i + 1]
	if value == '' then
		values[key] = nil
	else
		if values[key] == nil then
			order[#order + 1] = key
		end
		values[key] = value
	end
end
local out, seen = {}, {}
for _, key in ipairs(order) do
	if values[key] ~= nil and not seen[key] then
		seen[key] = true
		out[#out + 1] = key .. '\31' .. values[key]
	end
end
local md = table.concat(out, '\30')
if #out > tonumber(A.entries) or #md > tonumber(A.max) then
	return { 'recorded', 0, 'refused', 1 }
end
if md == '' then
	redis.call('HDEL', KEYS[1], 'md')
else
	redis.call('HSET', KEYS[1], 'md', md)
end
return { 'recorded', 1, 'refused', 0 }
