b = b'abc'
