"""My tasks: one list, for each member of staff, of what is theirs to do."""
