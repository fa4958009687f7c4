-- Extends the TTL of every key given (never shortens it): a user's index while one of its
-- sessions lives, a tenant's count. A: ttl (ms). Reply: kept 1
local A = named()
for _, key in ipairs(KEYS) do
	extend(key, tonumber(A.ttl))
end
return { 'kept', 1 }
