del a ++
