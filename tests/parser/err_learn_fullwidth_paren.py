print（'hi'）
