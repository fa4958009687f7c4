-- Lists sessions whose sweep check is due. KEYS: 1 live index. A: max. Reply: due (members)
local A = named()
local _, nowms = clock()
return { 'due', redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowms, 'LIMIT', 0, tonumber(A.max)) }
