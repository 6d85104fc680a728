c = (*x if y else z) if w else v
