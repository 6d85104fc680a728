table = {"k": [1, 2]}


def lookup(name, i):
    return table[name][i]


print(lookup("k", 1))
lookup("k", 5)
