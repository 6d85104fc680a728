c = (*x if y1else z)=E if w else v
