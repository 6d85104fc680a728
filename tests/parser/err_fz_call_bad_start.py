print(e, @size)
