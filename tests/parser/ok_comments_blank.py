# leading comment

x = 1  # trailing
# between

   # indented comment
if x:  # after colon
    # inside block
    y = 2
    # before dedent

# at end
