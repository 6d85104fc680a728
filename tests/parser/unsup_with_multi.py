with a as b, c as (d, e), f:
    pass
