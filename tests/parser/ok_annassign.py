x: int
y: int = 1
(z): int = 2
o.a: str
l[0]: float = 3.0
t: tuple = 1, 2
v: list[int] = []
