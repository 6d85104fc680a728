# input() with an empty stdin: the prompt is written, then EOFError.
try:
    input("name? ")
except EOFError as e:
    print("|", type(e).__name__, e)
try:
    input(1, 2)
except TypeError as e:
    print(e)
input()
