# Warnings come first, then the program runs and fails; the traceback follows its output.
def compare(n):
    print(n is 300, n is not "300")
    return n[0]


compare(300)
