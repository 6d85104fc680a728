def get(d, key):
    try:
        return d[key]
    except KeyError:
        raise LookupError("no " + key) from None


get({}, "a")
