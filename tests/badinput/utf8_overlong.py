À¯x = 1  # an overlong encoding
