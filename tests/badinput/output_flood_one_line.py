s = 'y' * 100000
while True:
    print(s, end='')
