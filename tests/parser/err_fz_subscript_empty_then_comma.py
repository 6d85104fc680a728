print(a, e.args[1][])
