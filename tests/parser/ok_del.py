del x
del x, y
del x,
del (x)
del (x, y)
del [x, y]
del o.a
del l[0]
del l[1:2]
del l[::2], o.b
del ((x), [y])
