def k(a) ->:
    pass
