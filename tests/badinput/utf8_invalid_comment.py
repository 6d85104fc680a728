# a comment with a broken sequence Ã(
print(1)
