# Case mapping and character classes beyond latin-1.
words = ["straße", "ΣΊΣΥΦΟΣ", "ǆemal", "ﬁnish", "İstanbul", "ΌΣΟΣ ΣΑΣ", "ᾳ", "ŉ", "ǰ", "Ω", "ΐ"]
for w in words:
    print(w.upper(), w.lower(), w.title(), w.capitalize(), w.swapcase(), w.casefold(), len(w.upper()))
print("ΑΣ ΑΣ.".lower(), "Σ".lower(), "ΑΣΑ".lower(), "Α.Σ".lower(), "ΑΣ'".lower())
print("ǅ".istitle(), "ǅ".isupper(), "ǆ".islower(), "Ǆ".isupper(), "ǅa".istitle(), "ǅA".istitle())
print("١٢٣".isdecimal(), "①".isdigit(), "①".isdecimal(), "一".isnumeric(), "Ⅻ".isalpha(), "ª".isalpha(), "ª".islower())
print("\u00a0".isspace(), "\u2007".isspace(), "\u200b".isspace(), "\x1c\x1d\x1e\x1f".isspace(), "\u180e".isspace())
print("\u00a0a\u3000b\u2029".split(), "a\u2028b\x1dc".splitlines(), "\x85x\x85".strip(), "\u3000x".lstrip())
print("变量".isidentifier(), "x\u00b7y".isidentifier(), "\u00b7x".isidentifier(), "℘x".isidentifier(), "a℮".isidentifier())
print("ÉCOLE".lower(), "école".upper(), "ÿ".upper(), "µ".upper(), "ß".title(), "ǈ".lower(), "ǈ".upper())
print(sorted(["b", "a", "é", "Z", "😀", "z", "ä"]), "ä" < "b", "€" > "z")
print("x😀y".find("y"), "x😀y"[1], len("x😀y"), "😀" in "x😀y")
print("ÀÉÎÕÜ".lower(), "àéîõü".upper(), "ΑΒΓ".lower(), "абв".upper(), "Ǳ".lower(), "ǳ".title())
