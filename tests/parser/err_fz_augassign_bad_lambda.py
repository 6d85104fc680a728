f() +=lambda  1
