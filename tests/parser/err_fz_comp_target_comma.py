z = [f'{i}',for i in range(3)]
