x = [*ar a ]
