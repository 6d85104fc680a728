def total(items):
    result = 0
    for item in items:
        result = result + item * 2
    return result


def report(rows):
    return total(rows)


print("start")
report([1, 2, "three"])
