try:
    x = [0] * 10**10
except MemoryError:
    print("caught MemoryError")
blocks = []
try:
    while True:
        blocks.append('x' * 100000)
except MemoryError:
    n = len(blocks)
    blocks = None
    print("caught MemoryError again")
print("still running:", sum(range(10)))
