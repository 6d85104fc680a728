print(*ar s)
