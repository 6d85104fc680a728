def greet:
    print('hi')
