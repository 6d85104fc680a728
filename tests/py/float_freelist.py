# CPython keeps up to 100 dead floats on a free list and reuses the newest first,
# so a new float often gets the id of the one that just died.
x = 3.0
a = x * 1.5
first = id(a)
del a
b = x * 2.5
print("reused", id(b) == first, b)
c = x * 3.5
print("different", id(c) == first, id(c) == id(b))
ids = []
for i in range(5):
    y = x * i
    ids.append(id(y))
print("loop distinct ids", len(set(ids)))
keep = [x * i for i in range(150)]
marks = [id(f) for f in keep]
del keep
# the list frees its items last to first: keep[149] .. keep[50] fill the free list,
# keep[49] .. keep[0] go back to the allocator; keep[50] is on top.
fresh = [x * 0.5 for i in range(3)]
print("newest freed first", [id(f) == m for f, m in zip(fresh, marks[50:53])])
