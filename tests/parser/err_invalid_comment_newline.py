x = # comment
