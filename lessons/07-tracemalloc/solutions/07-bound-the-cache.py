cache = {}
LIMIT = 256

def lookup(key):
    if key not in cache:
        if len(cache) >= LIMIT:
            del cache[next(iter(cache))]
        cache[key] = "value-" + str(key)
    return cache[key]

print(lookup(1), lookup(2), lookup(1))
