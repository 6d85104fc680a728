a = 'a' 'b'
b = ('x'
     'y'
     "z")
c = u'u' 'v'
d = 'p' u'q'
e = '' ''
f = 'multi' '''triple
line''' "end"
