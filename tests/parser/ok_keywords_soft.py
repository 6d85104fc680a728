match = 1
case = 2
_ = 3
match.x = 4
print(match, case, _)
match(x)
match[0]
type = 5
