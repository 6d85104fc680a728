# repr() quoting and escaping, ASCII, latin-1, BMP and astral characters.
print(repr("plain"), repr("it's"), repr('say "hi"'), repr("both ' and \""), repr(""))
print(repr("tab\there"), repr("nl\ncr\r"), repr("back\\slash"), repr("\x00\x01\x1f\x7f"))
print(repr("\x80\x9f\xa0\xa1\xad\xe9\xff"))
print(repr("\u0100\u0378\u200b\u2028\u3000\ufeff\uffff\u4e2d"))
print(repr("\U0001f600\U000e0001\U0010ffff\ud800"))
print(repr("mixed 'é' and \"ü\" \t\u2029"))
print(ascii("héllo\u1234\U0001f600"), "%a" % "é", "{!a}".format("ü"))
print(str("é"), repr(["é", "a'b", 'c"d']), repr(("x",)), repr({"k": "v"}))
for c in [0x0, 0x7, 0x1b, 0x20, 0x7e, 0x85, 0xa0, 0xad, 0x34f, 0x600, 0x1680, 0x2000, 0x202f, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x1d173, 0xe0100]:
    print(hex(c), repr(chr(c)), chr(c).isprintable())
