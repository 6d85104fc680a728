data = [1, 2, 0]
inverse = [10 // d for d in data]
