print('中文' 1)
