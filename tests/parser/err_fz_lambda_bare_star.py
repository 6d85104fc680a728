f = lambda *:*kw: kw
