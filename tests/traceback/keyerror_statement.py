counts = {}
counts["missing"]
