def load(key):
    try:
        return {}[key]
    except KeyError as e:
        raise RuntimeError("cannot load " + key) from e


load("cfg")
