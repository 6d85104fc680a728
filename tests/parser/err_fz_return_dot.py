def j():
    retu.rn (yield)
