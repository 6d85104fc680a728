a = 2 ** 100 + 12345
b = -(2 ** 70) - 99
small = [0, 1, -1, 5, -5, 2 ** 30 - 1, -(2 ** 30)]
print(a & b, a | b, a ^ b)
print(b & 0xFFFF, b | 0xFFFF, b ^ -1, ~b)
for x in small:
    print(x, x & b, x | b, x ^ a, x << 35, x >> 3, -x >> 1)
print(a >> 50, b >> 50, b >> 200, a >> 200, b >> 70, b >> 69)
print(a << 100, b << 1, 1 << 64, -1 << 64)
def t(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__ + ":", e)
t(lambda: 1 << -1)
t(lambda: 1 >> -1)
t(lambda: 0 << 10 ** 20)
t(lambda: 5 >> 10 ** 20)
t(lambda: -5 >> 10 ** 20)
t(lambda: 1 << 2 ** 70)
print((-12345678901234567890) & (-98765432109876543210))
print((-12345678901234567890) | (-98765432109876543210))
print((-12345678901234567890) ^ (98765432109876543210))
print(a.bit_length(), b.bit_length(), (0).bit_length(), (-1).bit_length())
print(a.bit_count(), b.bit_count())
