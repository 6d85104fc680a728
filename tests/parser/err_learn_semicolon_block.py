if x: ; pass
