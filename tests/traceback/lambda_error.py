key = lambda item: item["name"]
people = [{"name": "a"}, {"nam": "b"}]
print(sorted(people, key=key))
