a = '\n\t\r\\\'\"\a\b\f\v'
b = '\x41\x7e\xff\xe9'
c = '\u00e9\u4e2d\uFFFF'
d = '\U0001F600\U00010000'
e = '\101\60\0\1234\777'
f = '\d \w \q \8 \9'
g = '\ud800 \udfff \ud83d\ude00'
h = 'line \
continued'
i = '''multi \
line'''
j = '\x00 nul'
k = '\u0085 \u2028 \xa0 \xad'
