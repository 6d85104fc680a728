print("a BOM is fine")
