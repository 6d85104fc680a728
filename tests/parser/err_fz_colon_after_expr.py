t+ry:
    pass
