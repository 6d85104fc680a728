foo(17,yield
x = 3
