-- Keeps a user's index alive while one of its sessions is. KEYS: 1 live, 2 ended; ARGV: 1 ttl (ms)
extend(KEYS[1], tonumber(ARGV[1]))
extend(KEYS[2], tonumber(ARGV[1]))
return { 1 }
