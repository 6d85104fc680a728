# Small ints -5..256 are cached: results in that range are the cached objects.
def same(x, y):
    return x is y

def make(v):
    return v + 0

n = 100
big = 2 ** 100
print("computed small", same(n + 56, 156), same(n * 2 + 56, make(256)))
print("computed 257", same(make(257), make(257)))
print("computed -5 -6", same(make(-5), n - 105), same(make(-6), n - 106))
print("int() of str", same(int("300"), int("300")), same(int("5"), 5 + 0))
print("big - big", same(big - big, 0), same(big - (big - 7), n - 93))
print("big % small", same((big + 3) % big, n - 97))
print("big >> 98", same(big >> 98, n - 96))
print("big & 255", same((big + 3) & 255, n - 97))
print("floordiv", same(big // big, n - 99), same(big // (big // 2), n - 98))
print("unary plus", same(+big, big), same(abs(big), big), same(int(big), big))
print("mod when smaller", same(big % (big * big), big), same(-big % (big * big), -big))
print("round", same(round(big), big), same(round(big, 2), big), same(big.real, big))
print("new objects", same(big * 1, big), same(big + 0, big), same(big // 1, big), same(big << 0, big))
neg = -big
print("neg >> 0", same(neg >> 0, neg), same(big >> 0, big))
print("float to int", same(int(7.0), n - 93), same(int(1e3), int(1e3)))
print("bool", True + 0, type(True + 0).__name__, same(True + 0, n - 99))
print("bool ops", True & True, True | False, True ^ True, type(True & 1).__name__, ~True, -True)
