café = {"ü": 1}
print(café["ü"] + café["é"])
