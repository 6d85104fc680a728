it = iter([1, 2, 3, 0, 4]).__next__
print(list(iter(it, 0)))
c = iter(lambda: 5, 5)
print(list(c), type(c).__name__)
