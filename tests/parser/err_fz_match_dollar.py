match $= 1
