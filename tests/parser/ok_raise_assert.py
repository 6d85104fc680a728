raise
raise E
raise E('msg')
raise E from e
raise E from None
assert x
assert x, 'msg'
assert (x, y)
assert x == 1, f'{x}'
