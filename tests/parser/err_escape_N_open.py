s = 'x\N{ab'
