x = 1 + \
    2 + \
    3
if x \
  and y:
    pass
\
y = 1
assert x, \
    'msg'
