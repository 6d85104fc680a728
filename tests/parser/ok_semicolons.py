a = 1; b = 2
a = 1; b = 2;
pass; pass
x = 1;
if x: a; b
while x: a; b;
for x in y: pass; pass
def f(): return 1; pass
class C: x = 1;
