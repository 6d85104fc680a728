x = [a, b for a i*n c]
