z = 1j + 2.5J + 1e3j + 0j
