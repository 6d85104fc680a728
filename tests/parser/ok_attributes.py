a.b
a.b.c.d
a().b
a[0].b
(a).b
(a.b).c
'str'.join
1 .real
1.5.real
a.b(c).d[e].f
