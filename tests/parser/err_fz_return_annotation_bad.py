def k(a) -> ;None:
    pass
