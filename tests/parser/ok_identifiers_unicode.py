näme = 1
été = 2
_·x = 3
x· = 4
π = 3.14
print(näme, été, π)
