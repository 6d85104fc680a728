x = [(yield 1) for i in range(3)]
