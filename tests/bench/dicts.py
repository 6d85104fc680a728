# dicts: inserting, looking up, updating and deleting str and int keys; comprehensions and
# iteration (the dict implementation's hot paths, resizes and shared-key tables).
SIZE = 300000  # bench: check=2000


def run(n):
    by_name = {}
    by_num = {}
    for i in range(n):
        k = "key" + str(i)
        by_name[k] = i
        by_num[i] = k
    total = 0
    for i in range(n):
        total += by_name["key" + str(i)]
        total += len(by_num.get(i, ""))
        if i % 3 == 0:
            del by_num[i]
    squares = {i: i * i for i in range(n // 2)}
    for k, v in squares.items():
        total += v - k
    total += sum(by_num) + len(by_name) + ("key7" in by_name) + (n in by_num)
    for i in range(0, n, 2):
        by_name.pop("key" + str(i))
    return total % 1000000007, len(by_name), len(by_num)


print(run(SIZE))
