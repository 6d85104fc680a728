s = 'ab\xZZ'
