name = "World"
n = 42
pi = 3.14159
print(f"Hello, {name}! {n:5d}|{n:<5}|{n:^7}|{n:x}|{n:08.3f}|{pi:.2f}|{pi!r}|{name!r:>8}")
print(f"{'nested'} {1 + 2} {[1, 2][0]} {{braces}} {n=}")
print("%s is %d years and %.1f%%" % ("x", 3, 99.5), "%5s|%-5s|" % ("a", "b"), "%r" % "q")
print("{} {} {}".format(1, "two", 3.0), "{0}{1}{0}".format("a", "b"), "{name}".format(name="kw"))
s = "  Hello World  "
print(s.strip(), s.lower(), s.upper(), s.split(), "a,b,,c".split(","), "-".join(["x", "y"]))
print("abc".replace("b", "B"), "hello".find("l"), "hello".rfind("l"), "hello".count("l"))
print("Title case".title(), "x".center(5, "*"), "42".zfill(5), "ab".startswith("a"), "ab".endswith("c"))
print(repr("quote'\"s\n\t\\"), repr("é"), len("héllo"), "héllo"[1], ord("é"), chr(233))
print("a" * 3, "ab" + "cd", "abc"[::2], "abc" < "abd", "B" in "ABC", "x".isalpha(), "5".isdigit())
print(str(1.5), str(True), str(None), int("12") + 1, float("2.5") * 2, str([1, "a"]))
