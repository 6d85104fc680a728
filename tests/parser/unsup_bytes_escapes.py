b = b'\x00\n\t\'\\' + rb'\d' + B'x' b'y'
