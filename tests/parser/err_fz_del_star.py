del *, m
