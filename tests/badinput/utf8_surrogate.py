x = "í €"  # an encoded surrogate
